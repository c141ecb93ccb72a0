/** GET /staff/ (the console shell) and GET /staff/api/me (who is signed in). */
import { htmlResponse, jsonResponse, queryParameter } from '../shared/http.ts';
import { staffHttpHandler } from '../shared/staff-auth.ts';
import { cookieNames, cookiesOf } from '../shared/staff-session.ts';
import { consolePage } from '../web/staff-pages.ts';

export const handler = staffHttpHandler(async (event, context) => {
  const { user } = context.staff;
  if (event.resource === '/staff/api/me') {
    return jsonResponse(200, { email: user.email, name: user.name, roles: user.roles });
  }
  const lang = queryParameter(event, 'lang') === 'en' ? 'en' : 'zh';
  return htmlResponse(200, consolePage(user, cookiesOf(event)[cookieNames.csrf] ?? '', lang));
});

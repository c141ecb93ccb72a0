/** One view of a customer (`/staff/customers/{email}`) and the search (`/staff/customers?q=`). */
import { customerView, searchCustomers } from '#functions/services/customer-view.ts';
import { htmlResponse, pathParameter, queryParameter } from '#functions/shared/http.ts';
import { staffHttpHandler } from '#functions/shared/staff-auth.ts';
import { consoleLanguageOf, csrfOf } from '#functions/shared/staff-forms.ts';
import { customerPage, customerSearchPage } from '#functions/web/customer-pages.ts';

export const handler = staffHttpHandler(async (event, context) => {
  const { user } = context.staff;
  const lang = consoleLanguageOf(event);
  const csrf = csrfOf(event);
  if (event.resource === '/staff/customers') {
    const query = (queryParameter(event, 'q') ?? '').slice(0, 100);
    return htmlResponse(
      200,
      customerSearchPage({ user, csrf, lang, query, results: await searchCustomers(query) }),
    );
  }
  const email = (pathParameter(event, 'email') ?? '').trim().toLowerCase().slice(0, 254);
  const view = await customerView(email, new Date());
  const found = view.customer || view.complaints.length > 0 || view.surveys.length > 0;
  return htmlResponse(found ? 200 : 404, customerPage({ user, csrf, lang, view }));
});

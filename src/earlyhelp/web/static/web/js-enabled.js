// Marks the page so GOV.UK Frontend components enhance themselves (kept out of the page for the CSP).
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');

import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js'
import { initAll as initMojFrontend } from '../vendor/moj-frontend/moj-frontend.min.js'
import './timeout.js'
import './drafts.js'

initAll()
// MOJ Frontend's components (sortable tables) after GOV.UK Frontend's, as MOJ Frontend asks.
initMojFrontend()

// Long pick lists (web/widgets.py PickList marks them data-autocomplete): alphagov's accessible
// autocomplete in place of the select, which stays in the form holding the chosen value.
function enhancePickList (select) {
  const chosen = select.options[select.selectedIndex]
  const describedBy = select.getAttribute('aria-describedby')
  window.accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: chosen && chosen.value ? chosen.textContent : '',
    showAllValues: true,
    inputClasses: select.classList.contains('govuk-select--error') ? 'govuk-input--error' : null
  })
  const input = document.getElementById(select.id.replace(/-select$/, ''))
  if (!input) return
  if (describedBy) {
    input.setAttribute('aria-describedby', [describedBy, input.getAttribute('aria-describedby')].filter(Boolean).join(' '))
  }
  // Emptying the box empties the choice (the autocomplete only ever sets a chosen option).
  input.addEventListener('blur', () => {
    if (input.value.trim() === '') select.value = ''
  })
}

// A select whose value was set by a script (a restored draft): the autocomplete is made again
// from it, as the box shows only what was typed or picked in it.
function refreshPickList (select) {
  const wrapper = select.previousElementSibling
  if (!select.id.endsWith('-select') || !wrapper || wrapper.tagName !== 'DIV') return
  wrapper.remove()
  select.id = select.id.replace(/-select$/, '')
  select.style.display = ''
  enhancePickList(select)
}

// Follow-ups revealed by an answer (web/widgets.py Reveals, RevealCheckbox) open and close on a
// click, as GOV.UK Frontend wires them; answers set by a script are matched here.
function syncReveals (form) {
  form.querySelectorAll('input[aria-controls]').forEach((input) => {
    const revealed = document.getElementById(input.getAttribute('aria-controls'))
    if (!revealed) return
    const kind = revealed.classList.contains('govuk-checkboxes__conditional') ? 'checkboxes' : 'radios'
    revealed.classList.toggle(`govuk-${kind}__conditional--hidden`, !input.checked)
  })
}

if (window.accessibleAutocomplete) {
  document.querySelectorAll('select[data-autocomplete]').forEach(enhancePickList)
}

document.addEventListener('eh:restored', (event) => {
  if (window.accessibleAutocomplete) event.target.querySelectorAll('select[data-autocomplete]').forEach(refreshPickList)
  syncReveals(event.target)
  withoutExpandedRadios()
})

// GOV.UK Frontend's radios mark an answer that reveals a follow-up (web/widgets.py Reveals) with
// aria-expanded, which ARIA does not allow on a radio (axe-core: aria-allowed-attr); aria-controls still
// ties the answer to what it reveals. Removed after GOV.UK Frontend sets it (on load, on each choice).
function withoutExpandedRadios () {
  document.querySelectorAll('input[type="radio"][aria-expanded]').forEach((radio) => radio.removeAttribute('aria-expanded'))
}
withoutExpandedRadios()
document.addEventListener('click', withoutExpandedRadios)
window.addEventListener('pageshow', withoutExpandedRadios)

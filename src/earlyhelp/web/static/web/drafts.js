// Drafts of long forms (web/drafts.py): on pages whose <body> has data-draft-save-url, the form's
// fields are posted as the user types (after a pause in typing, and every 10 seconds while they
// change); a draft the page offers back (#eh-draft-data) is restored into the form on "Restore",
// or at once when it was kept from a submission that met an expired session.

import { sessionExtended } from './timeout.js'

const PAUSE_MS = 2000
const EVERY_MS = 10000
const SKIPPED_TYPES = ['submit', 'button', 'reset', 'image', 'file']

function pagePath () {
  return window.location.pathname + window.location.search
}

function draftForm (action) {
  const forms = Array.from(document.querySelectorAll('main form[method="post" i]'))
  return forms.find((form) => {
    const target = form.getAttribute('action')
    if (!target) return !action || action === window.location.pathname
    return new URL(target, window.location.href).pathname === (action || window.location.pathname)
  })
}

function serialise (form) {
  const data = new window.URLSearchParams()
  for (const [name, value] of new window.FormData(form)) {
    if (typeof value === 'string') data.append(name, value)
  }
  return data
}

function restore (form, fields) {
  const seen = {}
  for (const element of form.elements) {
    const name = element.name
    if (!name || SKIPPED_TYPES.includes(element.type) || name === 'csrfmiddlewaretoken') continue
    const values = fields[name]
    if (element.type === 'checkbox' || element.type === 'radio') {
      element.checked = Boolean(values && values.includes(element.value))
    } else if (values === undefined) {
      continue
    } else if (element.tagName === 'SELECT' && element.multiple) {
      for (const option of element.options) option.selected = values.includes(option.value)
    } else {
      const index = seen[name] || 0
      seen[name] = index + 1
      if (index < values.length) element.value = values[index]
    }
    element.dispatchEvent(new window.Event('input', { bubbles: true }))
    element.dispatchEvent(new window.Event('change', { bubbles: true }))
  }
  // Follow-up questions and pick lists show what was restored (init.js listens).
  form.dispatchEvent(new window.CustomEvent('eh:restored', { bubbles: true }))
}

function offerRestore () {
  const source = document.getElementById('eh-draft-data')
  const banner = document.querySelector('[data-eh-draft-banner]')
  if (!source || !banner) return
  const draft = JSON.parse(source.textContent)
  const form = draftForm(draft.action)
  if (!form) return
  if (banner.hasAttribute('data-eh-draft-kept')) {
    restore(form, draft.fields)
    return
  }
  const button = banner.querySelector('[data-eh-draft-restore]')
  if (!button) return
  button.hidden = false
  button.addEventListener('click', () => {
    restore(form, draft.fields)
    button.hidden = true
    const first = form.querySelector('textarea, input:not([type="hidden"]), select')
    if (first) first.focus()
  })
}

function saveAsTyped () {
  const url = document.body.dataset.draftSaveUrl
  const form = url && draftForm(null)
  if (!form) return
  let lastSent = serialise(form).toString()
  let pause = null
  let submitting = false

  function save () {
    const data = serialise(form)
    const sending = data.toString()
    if (submitting || sending === lastSent) return
    data.set('draft_path', pagePath())
    window.fetch(url, {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' }
    }).then((response) => {
      if (!response.ok) return
      lastSent = sending
      return response.json().then((answer) => sessionExtended(answer.seconds))
    }).catch(() => {})
  }

  form.addEventListener('input', () => {
    window.clearTimeout(pause)
    pause = window.setTimeout(save, PAUSE_MS)
  })
  form.addEventListener('change', () => {
    window.clearTimeout(pause)
    pause = window.setTimeout(save, PAUSE_MS)
  })
  form.addEventListener('submit', () => {
    submitting = true
    window.clearTimeout(pause)
  })
  window.setInterval(save, EVERY_MS)
}

offerRestore()
saveAsTyped()

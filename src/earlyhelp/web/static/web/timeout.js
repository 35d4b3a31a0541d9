// The time-out warning: a modal dialog some minutes before the idle session ends (GOV.UK / HMRC
// timeout-warning pattern). The server puts the seconds left on <body>; every request starts them
// again, so each page, each draft saved and "Stay signed in" move the end, shared between tabs
// through localStorage. Without JavaScript the dialog is never shown and nothing changes.

const STORE_KEY = 'earlyhelp.sessionEndsAt'

function endsAt () {
  return Number(window.localStorage.getItem(STORE_KEY)) || 0
}

export function sessionExtended (seconds) {
  const end = Date.now() + seconds * 1000
  if (end > endsAt()) window.localStorage.setItem(STORE_KEY, String(end))
}

function inWords (seconds) {
  if (seconds > 60) {
    const minutes = Math.ceil(seconds / 60)
    return `${minutes} minutes`
  }
  return seconds === 1 ? '1 second' : `${seconds} seconds`
}

function start () {
  const body = document.body
  const seconds = Number(body.dataset.sessionSeconds)
  const dialog = document.getElementById('eh-timeout-warning')
  if (!seconds || !dialog || typeof dialog.showModal !== 'function') return
  const warnFor = Math.min(Number(body.dataset.sessionWarningSeconds) || 120, Math.floor(seconds / 2))
  const countdown = dialog.querySelector('[data-eh-countdown]')
  const announce = dialog.querySelector('[data-eh-countdown-announce]')
  const stayForm = dialog.querySelector('[data-eh-stay-signed-in]')
  let returnFocusTo = null
  let lastAnnounced = null

  sessionExtended(seconds)

  function open () {
    returnFocusTo = document.activeElement
    dialog.showModal()
    dialog.querySelector('h2').focus()
  }

  function close () {
    dialog.close()
    lastAnnounced = null
    if (returnFocusTo && typeof returnFocusTo.focus === 'function') returnFocusTo.focus()
  }

  // The session has ended: go to sign in, and come back here afterwards (drafts are kept).
  function signIn () {
    const next = encodeURIComponent(window.location.pathname + window.location.search)
    window.location.href = `${dialog.dataset.signInUrl}?next=${next}`
  }

  function tick () {
    const left = Math.max(0, Math.round((endsAt() - Date.now()) / 1000))
    if (left <= 0) {
      signIn()
      return
    }
    if (left > warnFor) {
      if (dialog.open) close()
      return
    }
    if (!dialog.open) open()
    const words = inWords(left)
    countdown.textContent = words
    // Read out when it opens, then each 15 seconds, not every second.
    if (lastAnnounced === null || lastAnnounced - left >= 15) {
      announce.textContent = `For your security, we will sign you out in ${words}.`
      lastAnnounced = left
    }
  }

  function staySignedIn (event) {
    event.preventDefault()
    window.fetch(stayForm.action, {
      method: 'POST',
      body: new window.FormData(stayForm),
      credentials: 'same-origin',
      headers: { Accept: 'application/json' }
    }).then((response) => {
      if (!response.ok) throw new Error('signed out')
      return response.json()
    }).then((answer) => {
      window.localStorage.setItem(STORE_KEY, String(Date.now() + answer.seconds * 1000))
      close()
    }).catch(signIn)
  }

  stayForm.addEventListener('submit', staySignedIn)
  // Escape means "Stay signed in", as in the pattern.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    stayForm.requestSubmit()
  })
  window.setInterval(tick, 1000)
}

start()

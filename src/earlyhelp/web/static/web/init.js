import { initAll } from '../vendor/govuk-frontend/govuk-frontend.min.js'
import './timeout.js'
import './drafts.js'

initAll()

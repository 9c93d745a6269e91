// Entry point for both the main step and the post step (action.yml runs this file twice).
import { run } from './main.js'

await run()

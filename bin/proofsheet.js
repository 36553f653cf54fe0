#!/usr/bin/env node
// The installed `proofsheet` command: runs the bundled CLI built by `npm run build`.
import { main } from '../out/main/cli.js'

void main()

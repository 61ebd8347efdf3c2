#!/usr/bin/env node
'use strict';
// CommonJS, so that Node starts no ES module loader for a run that needs none.
const { join } = require('node:path');

const argv = process.argv.slice(2);
// `audit` needs nothing of the generator: it starts from its own bundle, without loading the main one
// (src/cli/audit.ts, auditMain, says why).
const run = argv[0] === 'audit'
  ? require('../dist/vendor/audit.cjs').auditMain(argv.slice(1))
  : require('../dist/launch.cjs').launch(join(__dirname, '..', 'dist', 'create-kv-secrets.cjs'), argv);
run.then((code) => {
  // The run is over when main() returns: every program it started has ended and its own output is
  // written synchronously (src/cli/write-out.ts). Leaving at once spares Node's teardown of the heap,
  // which costs more than some of a generation's work. Not on Windows, where writes a prompt made to
  // the terminal may still be queued.
  if (process.platform === 'win32') process.exitCode = code;
  else process.exit(code);
});

#!/usr/bin/env node
'use strict';
// CommonJS, so that Node starts no ES module loader for a run that needs none.
const { join } = require('node:path');

require('../dist/launch.cjs')
  .launch(join(__dirname, '..', 'dist', 'create-kv-secrets.cjs'), process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });

#!/usr/bin/env node
import { main } from '../dist/create-kv-secrets.js';

process.exitCode = await main(process.argv.slice(2));

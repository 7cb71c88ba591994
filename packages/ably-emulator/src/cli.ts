#!/usr/bin/env node
console.log('ably-emulator: not implemented yet');

'use strict';
console.log(`hello from npm, node ${process.version}`);

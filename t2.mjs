import P from 'tree-sitter'; import C from 'tree-sitter-c';
const p = new P(); p.setLanguage(C);
const cases = process.argv.slice(2);
for (const src of cases) { console.log('### ' + src); console.log(p.parse(src).rootNode.toString()); }

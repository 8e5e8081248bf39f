// Extracts ImageNet's 1000 class names from the npm package @tensorflow-models/mobilenet
// into src/GradCam.MLNet/Models/Labels/imagenet_classes.txt (one name per line, index order).
// Usage: npm pack @tensorflow-models/mobilenet && tar xzf *.tgz && node extract-imagenet-labels.js package/dist/imagenet_classes.js OUT
const path = process.argv[2];
const out = process.argv[3];
const m = { exports: {} };
new Function('exports', 'module', require('fs').readFileSync(path, 'utf8'))(m.exports, m);
const classes = m.exports.IMAGENET_CLASSES;
const lines = [];
for (let i = 0; i < 1000; i++) {
  if (!(i in classes)) throw new Error(`missing class ${i}`);
  lines.push(classes[i]);
}
require('fs').writeFileSync(out, lines.join('\n') + '\n');
console.log(`wrote ${lines.length} labels to ${out}`);

// Writes ONNX Runtime's output for a model on a deterministic input as a raw little-endian float32
// file, so tests can compare against ORT where a model ships no reference. Inputs (the same
// formulas as tests/conformance/conformance_runner.cc):
//   ramp: x[i] = ((i * 2654435761) % 1000) / 1000 (the input ../shared/peers/ort_bench.js uses)
//   page: a white page with two lines of dark strokes, normalized with the ImageNet mean/std as
//         PaddleOCR's detector expects (noise gives an all-zero text map).
// Usage (ORT from npm, see ../shared/peers/README.md):
//   NODE_PATH=$ORT_DIR/node_modules node scripts/ort_reference.js MODEL.onnx N,C,H,W OUT.bin [ramp|page]
const ort = require('onnxruntime-node');
const fs = require('fs');
(async () => {
  const [model, dimsText, out, pattern = 'ramp'] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
  const dims = dimsText.split(',').map(Number);
  const n = dims.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n);
  if (pattern === 'page') {
    const [, c, h, w] = dims;
    const mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
    for (let k = 0; k < c; k++) for (let y = 0; y < h; y++) for (let z = 0; z < w; z++) {
      const line = (y >= h / 4 && y < h / 4 + 16) || (y >= h / 2 + 8 && y < h / 2 + 24);
      const v = line && z % 12 < 5 && z > 8 && z < w - 8 ? 0.1 : 1.0;
      x[(k * h + y) * w + z] = (v - mean[k % 3]) / std[k % 3];
    }
  } else {
    for (let i = 0; i < n; i++) x[i] = ((i * 2654435761) % 1000) / 1000;
  }
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, dims) });
  const y = result[session.outputNames[0]];
  fs.writeFileSync(out, Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength));
  console.log(`${out}: shape [${y.dims}] from ORT ${ort.env.versions.common}`);
})().catch((e) => { console.error('FAIL', e.message); process.exit(1); });

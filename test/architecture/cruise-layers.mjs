// Runs dependency-cruiser's API for test/architecture/layers.spec.ts in a child Node process without the tsx loader,
// and sends the cruise result back over IPC. Under tsx, the swc parser's `import('@swc/core/Visitor.js')` is given
// the class as its default export instead of the module's exports, and dependency-cruiser then reads no file; and
// swc's native binding can crash a worker thread as it exits. A plain process loads it as dependency-cruiser expects.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';

const [configFile, baseDir] = process.argv.slice(2);
const options = await extractDepcruiseOptions(configFile);
const { output } = await cruise(['src'], { ...options, baseDir });
process.send(output, () => process.disconnect());

/** The entry of cosmos-process.ts: starts the embedded Cosmos server and says where it listens. */
import { startEmbeddedCosmos } from '../../../src/local/embedded-cosmos';

void startEmbeddedCosmos().then(({ endpoint, key }) => console.log(JSON.stringify({ endpoint, key })));

import { FakeManagedIdentity } from './stand-in-servers';

let shared: Promise<FakeManagedIdentity> | undefined;

/**
 * App Service's managed identity endpoint for the suites that run DealDesk in the test process. MSAL keeps, for the
 * whole process, the endpoint it found first (ManagedIdentityClient.identitySource) and the tokens it got
 * (ManagedIdentityApplication.nodeStorage): a second stand-in would never be asked, and a suite using the same client
 * id as another would get that suite's token. So the suites share this one, started once (mocha exits with it
 * running), and each gives its bot an app id of its own. Call in a `describe`: the environment that points
 * @azure/identity at it is set for the suite and restored after it.
 */
export function useProcessManagedIdentity(): () => FakeManagedIdentity {
  let identity: FakeManagedIdentity | undefined;
  const saved: NodeJS.ProcessEnv = {};
  before(async () => {
    identity = await (shared ??= new FakeManagedIdentity('any-client-id').start());
    for (const [name, value] of Object.entries(identity.env())) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  after(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  return () => identity!;
}

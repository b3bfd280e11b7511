import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { validateAgainstSchema } from './support/kubernetes-schema';
import { mebibytes, plaintextSecretValues, podPolicyViolations } from './support/policy';
import { only, renderKustomization, type KubeObject } from './support/render';
import { ROOT, SECRET_NAME, SERVICES } from './support/services';

const runtime = JSON.parse(readFileSync(join(ROOT, 'config', 'service-runtime.json'), 'utf8')) as { maxOldSpaceSizeMb: number };
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

describe.each(SERVICES)('deploy/$name/overlays/production', (service) => {
  let objects: KubeObject[];
  let deployment: IDeployment;

  beforeAll(() => {
    objects = renderKustomization(`deploy/${service.name}/overlays/production`);
    deployment = only<IDeployment>(objects, 'Deployment');
  });

  it('renders objects that each validate against the Kubernetes schema of their kind', () => {
    expect(objects.length).toBeGreaterThanOrEqual(service.ownsSchema ? 8 : 6);
    for (const o of objects) expect(() => validateAgainstSchema(o)).not.toThrow();
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set(['mm']));
  });

  it('runs a hardened pod with probes on the health endpoints and the measured memory', () => {
    const pod = deployment.spec?.template.spec;
    expect(podPolicyViolations(pod)).toEqual([]);
    const container = pod?.containers[0];
    expect(container?.ports).toEqual([{ name: 'http', containerPort: service.port }]);
    expect(container?.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container?.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container?.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    // The V8 heap budget plus the rest of the process (peak RSS 140-200 MB measured) fits under the limit.
    const limit = mebibytes(container?.resources?.limits?.memory);
    expect(limit).toBeGreaterThanOrEqual(runtime.maxOldSpaceSizeMb + 96);
    expect(mebibytes(container?.resources?.requests?.memory)).toBeLessThanOrEqual(limit);
    expect(container?.env?.some((e) => e.name === 'NODE_OPTIONS')).not.toBe(true);
  });

  it('selects the Deployment pods, and only them, from its Service, PodDisruptionBudget and HorizontalPodAutoscaler', () => {
    const podLabels = deployment.spec?.template.metadata?.labels;
    expect(matches(deployment.spec?.selector.matchLabels, podLabels)).toBe(true);
    const svc = only<IService>(objects, 'Service');
    expect(matches(svc.spec?.selector, podLabels)).toBe(true);
    expect(svc.spec?.ports).toEqual([{ name: 'http', port: service.port, targetPort: 'http' }]);
    expect(matches(only<IPodDisruptionBudget>(objects, 'PodDisruptionBudget').spec?.selector?.matchLabels, podLabels)).toBe(true);
    const hpa = only<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    expect(hpa.spec?.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata?.name });
    expect(hpa.spec?.minReplicas).toBe(deployment.spec?.replicas);
    // The release applies everything but the serving pods first (README, Deploying): only the Deployment is labelled so.
    const servers = objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'server').map((o) => o.kind);
    expect(servers).toEqual(['Deployment']);
    for (const job of objects.filter((o) => o.kind === 'Job') as IJob[]) {
      expect(matches(svc.spec?.selector, job.spec?.template.metadata?.labels)).toBe(false);
    }
  });

  it('keeps credentials in Secrets holding placeholders only, and nothing secret in the ConfigMap', () => {
    const secrets = objects.filter((o) => o.kind === 'Secret') as ISecret[];
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(plaintextSecretValues(s)).toEqual([]);
    const config = only<IConfigMap>(objects, 'ConfigMap');
    expect(Object.keys(config.data ?? {}).filter((k) => SECRET_NAME.test(k))).toEqual([]);
    const secretKeys = secrets.flatMap((s) => Object.keys(s.data ?? {}));
    if (service.ownsSchema) expect(secretKeys).toEqual(expect.arrayContaining(['DATABASE_URL', 'DATABASE_MIGRATION_URL']));
    if (service.usesKafka) expect(secretKeys).toContain('KAFKA_SASL_PASSWORD');
    expect(config.data).toMatchObject({ NODE_ENV: 'production', PORT: String(service.port) });
    if (service.usesKafka)
      expect(config.data).toMatchObject({ KAFKA_SSL: 'true', KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2' });
    // The serving pods never see the owner role's URL: only the migration Job does.
    const runtimeSecret = deployment.spec?.template.spec?.containers[0]?.envFrom?.find((e) => e.secretRef)?.secretRef?.name;
    expect(secrets.find((s) => s.metadata?.name === runtimeSecret)?.data).not.toHaveProperty('DATABASE_MIGRATION_URL');
  });

  it(service.ownsSchema ? 'migrates in a hardened Job before the rollout' : 'owns no schema, so ships no migration Job', () => {
    const jobs = objects.filter((o) => o.kind === 'Job') as IJob[];
    if (!service.ownsSchema) return expect(jobs).toEqual([]);
    expect(jobs).toHaveLength(1);
    const pod = jobs[0]?.spec?.template.spec;
    expect(podPolicyViolations(pod)).toEqual([]);
    expect(pod?.restartPolicy).toBe('Never');
    expect(pod?.containers[0]?.command).toEqual(['node', 'dist/cli/migrate.js']);
    expect(pod?.containers[0]?.image).toBe(deployment.spec?.template.spec?.containers[0]?.image);
    expect(only<IConfigMap>(objects, 'ConfigMap').data).toMatchObject({ DATABASE_MIGRATE_ON_START: 'false' });
  });
});

describe('schema validation', () => {
  it('refuses an object the Kubernetes schema does not allow, and a kind the kit does not ship', () => {
    const [deployment] = renderKustomization('deploy/ledger/overlays/production').filter((o) => o.kind === 'Deployment');
    const broken = JSON.parse(JSON.stringify(deployment)) as KubeObject & { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    expect(() => validateAgainstSchema(broken)).toThrow(/replicas/);
    expect(() => validateAgainstSchema({ ...broken, apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler' })).toThrow(
      /not a kind the deployment kit ships/,
    );
  });
});

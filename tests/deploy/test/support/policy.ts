import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { PLACEHOLDER, SECRET_NAME } from './services';

/** Every rule a workload's pod must keep; returns what breaks them (empty: none). */
export function podPolicyViolations(pod: IPodSpec | undefined): string[] {
  if (!pod) return ['no pod spec'];
  const broken: string[] = [];
  if (pod.securityContext?.runAsNonRoot !== true) broken.push('pod runAsNonRoot is not true');
  if (!pod.securityContext?.runAsUser) broken.push('pod runAsUser is unset or 0');
  if (pod.automountServiceAccountToken !== false) broken.push('the service account token is mounted');
  const tmp = pod.volumes?.find((v) => v.name === 'tmp');
  if (!tmp?.emptyDir) broken.push('no emptyDir volume named tmp');
  for (const c of pod.containers) broken.push(...containerViolations(c).map((v) => `${c.name}: ${v}`));
  return broken;
}

function containerViolations(c: IContainer): string[] {
  const broken: string[] = [];
  const sc = c.securityContext;
  if (sc?.readOnlyRootFilesystem !== true) broken.push('root filesystem is writable');
  if (sc?.allowPrivilegeEscalation !== false) broken.push('privilege escalation is allowed');
  if (!sc?.capabilities?.drop?.includes('ALL')) broken.push('capabilities are not all dropped');
  if (sc?.privileged) broken.push('privileged');
  if (!c.volumeMounts?.some((m) => m.name === 'tmp' && m.mountPath === '/tmp')) broken.push('/tmp is not the writable emptyDir');
  if (!c.resources?.limits?.memory || !c.resources.limits.cpu) broken.push('limits are not set');
  if (!c.resources?.requests?.memory || !c.resources.requests.cpu) broken.push('requests are not set');
  if (!c.image || /:latest$|^[^:]+$/.test(c.image)) broken.push(`image ${c.image} has no pinned tag`);
  for (const e of c.env ?? []) if (SECRET_NAME.test(e.name) && e.value !== undefined) broken.push(`${e.name} is given in plain text`);
  return broken;
}

/** Mebibytes of a Kubernetes memory quantity (Mi, Gi, M or bytes). */
export function mebibytes(quantity: string | number | undefined): number {
  const m = /^(\d+)(Mi|Gi|M)?$/.exec(String(quantity ?? ''));
  if (!m) throw new Error(`unexpected memory quantity ${quantity}`);
  const n = Number(m[1]);
  return m[2] === 'Gi' ? n * 1024 : m[2] === 'Mi' ? n : m[2] === 'M' ? (n * 1e6) / 2 ** 20 : n / 2 ** 20;
}

/** Secret values that are not the placeholder (data is base64, stringData plain). */
export function plaintextSecretValues(secret: { data?: Record<string, string>; stringData?: Record<string, string> }): string[] {
  const values = [
    ...Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')] as const),
    ...Object.entries(secret.stringData ?? {}),
  ];
  return values.filter(([, v]) => v !== PLACEHOLDER).map(([k]) => k);
}

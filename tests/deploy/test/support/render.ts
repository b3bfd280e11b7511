import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './services';

/** A rendered Kubernetes object, as far as the checks read it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** `kubectl kustomize <dir>`: the built-in kustomize renders an overlay exactly as `kubectl apply -k` would apply it. */
export function renderKustomization(relativeDir: string): KubeObject[] {
  const out = execFileSync('kubectl', ['kustomize', join(ROOT, relativeDir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${relativeDir}: ${doc.errors[0]?.message}`);
    return doc.toJS() as KubeObject;
  });
}

export function only<T = KubeObject>(objects: KubeObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as T;
}

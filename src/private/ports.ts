import { IConstruct } from 'constructs';
import { fail, show } from './errors';
import { MeshPort } from '../values/mesh-port';

/** Checks a list of ports: each valid, names and numbers distinct. */
export function checkPorts(scope: IConstruct, prop: string, ports: MeshPort[]): MeshPort[] {
  if (!Array.isArray(ports) || ports.length === 0) fail(scope, `${prop} must list at least one MeshPort`);
  const names = new Set<string>();
  const numbers = new Set<number>();
  ports.forEach((p, i) => {
    const at = prop === 'port' ? prop : `${prop}[${i}]`;
    if (!(p instanceof MeshPort)) fail(scope, `${at} must be a MeshPort (e.g. MeshPort.http(8080)), got ${show(p)}`);
    p._validate(scope, at);
    if (names.has(p.name)) fail(scope, `${prop}[${i}].name ${show(p.name)} is used by another port; port names must be distinct`);
    if (numbers.has(p.number)) fail(scope, `${prop}[${i}].number ${p.number} is used by another port; port numbers must be distinct`);
    names.add(p.name);
    numbers.add(p.number);
  });
  return [...ports];
}

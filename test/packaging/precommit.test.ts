// The pre-commit hook as pre-commit itself installs it from a git repository and revision (the README's recipe
// 'pre-commit-git'): pre-commit runs `npm install` and `npm pack` in its own checkout, which must build dist/ and
// leave `npm pack`'s output readable. The repository is a snapshot of this working tree (tracked and untracked
// files, as git would commit them), so the test covers uncommitted changes too.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGatedCommits, git, HEADER, recipe, ROOT, sh } from './recipes.js';

const HAVE_PRE_COMMIT = spawnSync('pre-commit', ['--version']).status === 0;
if (!HAVE_PRE_COMMIT) {
  const msg = "pre-commit not found: the pre-commit hook test is skipped (Debian: apt-get install -y pre-commit)";
  if (process.env.CI) throw new Error(`${msg}; CI must have it`);
  console.warn(`SKIP: ${msg}`);
}

describe.skipIf(!HAVE_PRE_COMMIT)('pre-commit, from a git revision of structgen', () => {
  it('installs the hook from the revision; a clean commit passes, a changed header, generated file or lock fails', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'structgen-pre-commit-'));
    // structgen as a git repository at one revision
    const repo = path.join(tmp, 'structgen');
    mkdirSync(repo);
    const files = await sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT);
    expect(files.code).toBe(0);
    const list = files.out.split('\0').filter((f) => f && !f.startsWith('node_modules/') && !f.startsWith('dist/'));
    const tar = spawnSync('sh', ['-c', `tar -C "${ROOT}" --null -T - -cf - | tar -C "${repo}" -xf -`], { input: list.join('\0'), encoding: 'utf8' });
    expect(tar.status, tar.stderr).toBe(0);
    expect((await git(repo, ['init', '-q'])).code).toBe(0);
    await git(repo, ['add', '-A']);
    expect((await git(repo, ['commit', '-qm', 'snapshot'])).code).toBe(0);
    const rev = (await sh('git', ['rev-parse', 'HEAD'], repo)).stdout.trim();

    // a user's project using the hook
    const proj = path.join(tmp, 'project');
    mkdirSync(path.join(proj, 'include'), { recursive: true });
    const env = { PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-home') };
    expect((await git(proj, ['init', '-q'])).code).toBe(0);
    writeFileSync(path.join(proj, '.pre-commit-config.yaml'), recipe('pre-commit-git')
      .replace(/repo: .*/, `repo: ${repo}`).replace(/rev: .*/, `rev: ${rev}`));
    writeFileSync(path.join(proj, 'include/proto.h'), HEADER);
    writeFileSync(path.join(proj, 'structgen.config.json'), JSON.stringify({ headers: ['include/*.h'], outDir: 'src/gen' }));
    for (const args of [['generate'], ['check', '--update']]) {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/generator/cli/main.js'), ...args], { cwd: proj, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    const inst = await sh('pre-commit', ['install'], proj, env);
    expect(inst.code, inst.out).toBe(0);
    // installing the hook's environment: npm install (prepare builds dist/), npm pack, npm install -g
    const hooks = await sh('pre-commit', ['install-hooks'], proj, env);
    expect(hooks.code, hooks.out).toBe(0);
    await git(proj, ['add', '-A']);
    await expectGatedCommits(proj, env);
    // a commit that touches none of the watched files does not run the hook
    writeFileSync(path.join(proj, 'NOTES.md'), 'notes\n');
    await git(proj, ['add', 'NOTES.md']);
    const r = await git(proj, ['commit', '-m', 'notes only'], env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/structgen check\.+\(no files to check\)Skipped/);
  }, 600_000);
});

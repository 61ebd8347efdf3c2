/** What `apply` keeps from the caller's environment when it starts bash for azure/setup.sh (issue 18). */
import { describe, expect, it } from 'vitest';
describe('the environment apply starts bash with', () => {
  it('has no shell options, start-up files or functions of the caller, and keeps everything else', async () => {
    const { scriptEnvironment } = await import('../src/run/script-env.js');
    const env = scriptEnvironment({
      PATH: '/bin', HOME: '/home/me', AZURE_CONFIG_DIR: '/cfg', HTTPS_PROXY: 'http://proxy',
      SHELLOPTS: 'xtrace', BASHOPTS: 'extdebug', BASH_ENV: '/tmp/x', ENV: '/tmp/y', PS4: '$(cat /x)', IFS: ',', 'BASH_FUNC_az%%': '() { :; }', BASH_XTRACEFD: '2',
    });
    expect(env).toEqual({ PATH: '/bin', HOME: '/home/me', AZURE_CONFIG_DIR: '/cfg', HTTPS_PROXY: 'http://proxy' });
  });
});

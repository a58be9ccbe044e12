import { readFileSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';

const TEARDOWN_LOG = readFileSync('tests/fixtures/logs/cxi-libcurl-teardown-segfault/mpi-finalize-backtrace.txt', 'utf8');

/** Loads /diagnose/ and waits until the worker has compiled the signatures. */
async function ready(page: Page) {
  await page.goto('/diagnose/');
  await expect(page.locator('form.diagnose-form')).toHaveAttribute('data-state', 'ready');
}

async function diagnose(page: Page, text: string) {
  await page.getByLabel('Log, build output or backtrace').fill(text);
  await page.getByRole('button', { name: 'Diagnose', exact: true }).click();
  await expect(page.locator('form.diagnose-form')).toHaveAttribute('data-state', 'done');
}

test('pasting a log shows the right issue, its workaround and the highlighted lines', async ({ page }) => {
  await ready(page);
  await diagnose(page, TEARDOWN_LOG);
  const first = page.locator('.diagnose-match').first();
  await expect(first).toHaveAttribute('data-issue', 'cxi-libcurl-teardown-segfault');
  await expect(first.getByRole('link').first()).toHaveAttribute('href', '/issues/cxi-libcurl-teardown-segfault/');
  await expect(first.locator('mark', { hasText: 'cxip_curl_fini' }).first()).toBeVisible();
  await expect(first.locator('.diagnose-line-number').first()).toHaveText(/^\d+$/);
  await expect(first.getByText('Workaround', { exact: true })).toBeVisible();
});

test('the page says nothing leaves the browser, and diagnosing makes no network request', async ({ page }) => {
  await ready(page);
  await expect(page.getByText('Nothing leaves your browser.')).toBeVisible();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await diagnose(page, TEARDOWN_LOG);
  await page.locator('input[type=file]').setInputFiles({ name: 'job.log', mimeType: 'text/plain', buffer: Buffer.from(TEARDOWN_LOG) });
  await expect(page.locator('.diagnose-match').first()).toHaveAttribute('data-issue', 'cxi-libcurl-teardown-segfault');
  await diagnose(page, 'configure: error: something unknown_to_the_kb failed');
  expect(requests).toEqual([]);
});

test('pasted <script> and <img onerror> render as inert text', async ({ page }) => {
  await ready(page);
  const attack = [
    '<script>window.__pwned = 1</script> cxip_curl_fini',
    '<img src=x onerror="window.__pwned = 2"> /usr/lib64/libcurl.so.4',
    '<img src=y onerror="window.__pwned = 3"> error: undefined reference to evil_symbol',
  ].join('\n');
  await diagnose(page, attack);
  const results = page.locator('.diagnose-results');
  await expect(results.locator('mark', { hasText: '<script>window.__pwned = 1</script> cxip_curl_fini' })).toBeVisible();
  await expect(results.locator('img, script')).toHaveCount(0);
  await diagnose(page, attack.split('\n')[2]!);
  await expect(results.locator('.diagnose-suggestion')).toContainText('<img src=y onerror="window.__pwned = 3">');
  await expect(results.locator('img, script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('no match suggests the most distinctive line; the site search runs inline only when asked, or in its dialog', async ({ page }) => {
  await ready(page);
  await diagnose(page, 'checking for gcc... gcc\nld: error: undefined reference to `my_app_symbol_xyz`\nmake: *** [all] Error 1');
  await expect(page.getByText('No known issue matches this log.')).toBeVisible();
  await expect(page.locator('.diagnose-suggestion')).toHaveText('ld: error: undefined reference to `my_app_symbol_xyz`');
  await expect(page.locator('.diagnose-search-results')).toBeHidden();
  await page.getByRole('button', { name: 'Search for this line' }).click();
  await expect(page.locator('.diagnose-search-results')).toContainText(/The site search finds/);
  await page.getByRole('button', { name: 'Open in the search dialog' }).click();
  await expect(page.locator('site-search dialog input[type="text"]')).toHaveValue('ld: error: undefined reference to `my_app_symbol_xyz`');
});

test('inline site search results for the line are shown as inert text with links', async ({ page }) => {
  await ready(page);
  await diagnose(page, 'srun: error: libfabric fi_getinfo failed: cxi provider not found <img src=x onerror="window.__pwned = 4">');
  await page.getByRole('button', { name: 'Search for this line' }).click();
  const results = page.locator('.diagnose-search-results');
  await expect(results).toContainText(/The site search finds/);
  await expect(results.locator('img, script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('a log that only words a known failure differently gets the closest records as "possibly", with its lines', async ({ page }) => {
  await ready(page);
  // The symptom of libfabric#10710 in other words than any signature: no cxip_curl_fini, no libcurl path.
  await diagnose(page, '$ fi_info -p cxi\nprovider: cxi\n    fabric: cxi\n    domain: cxi0\nSegmentation fault (core dumped)');
  await expect(page.getByText('No known issue matches this log with confidence', { exact: false })).toBeVisible();
  const first = page.locator('.diagnose-match').first();
  await expect(first).toHaveAttribute('data-confidence', 'low');
  await expect(first.locator('.diagnose-possibly')).toHaveText('Possibly:');
  await expect(first.locator('mark').first()).toBeVisible();
});

test('a paste over the size limit is refused before it is inserted', async ({ page }) => {
  await ready(page);
  const state = await page.locator('#diagnose-log').evaluate((textarea: HTMLTextAreaElement) => {
    const data = new DataTransfer();
    data.setData('text/plain', 'a'.repeat(10 * 1024 * 1024 + 1));
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    const inserted = textarea.dispatchEvent(event);
    return { defaultPrevented: !inserted, length: textarea.value.length };
  });
  expect(state).toEqual({ defaultPrevented: true, length: 0 });
  await expect(page.locator('form.diagnose-form')).toHaveAttribute('data-state', 'error');
  await expect(page.locator('.diagnose-status')).toHaveText(/The pasted text is larger than the limit of 10485760 bytes \(10 MiB\)/);
});

test('text dropped over the size limit is refused before it is inserted', async ({ page }) => {
  await ready(page);
  const prevented = await page.locator('#diagnose-log').evaluate((textarea: HTMLTextAreaElement) => {
    const data = new DataTransfer();
    data.setData('text/plain', 'a'.repeat(10 * 1024 * 1024 + 1));
    return !textarea.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  expect(prevented).toBe(true);
  await expect(page.locator('.diagnose-status')).toHaveText(/The dropped text is larger than the limit of 10485760 bytes \(10 MiB\)/);
});

test('a file over the size limit is refused with a clear message', async ({ page }) => {
  await ready(page);
  // The file is made in the page (DataTransfer), so 10 MiB need not cross the DevTools protocol.
  await page.locator('input[type=file]').evaluate((input: HTMLInputElement) => {
    const files = new DataTransfer();
    files.items.add(new File([new Uint8Array(10 * 1024 * 1024 + 1).fill(97)], 'huge.log', { type: 'text/plain' }));
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expect(page.locator('form.diagnose-form')).toHaveAttribute('data-state', 'error');
  await expect(page.locator('.diagnose-status')).toHaveText(/huge\.log is 10485761 bytes, over the limit of 10485760 bytes \(10 MiB\)/);
});

test('an error pasted on the home page is diagnosed on /diagnose/, handed over once in the tab', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Paste an error, a build log or a backtrace').fill(TEARDOWN_LOG);
  await page.locator('form.paste-handover').getByRole('button', { name: 'Diagnose' }).click();
  await expect(page).toHaveURL(/\/diagnose\/$/);
  await expect(page.locator('form.diagnose-form')).toHaveAttribute('data-state', 'done');
  await expect(page.locator('.diagnose-match').first()).toHaveAttribute('data-issue', 'cxi-libcurl-teardown-segfault');
  await expect(page.getByLabel('Log, build output or backtrace')).toHaveValue(TEARDOWN_LOG);
  await page.reload();
  await expect(page.locator('form.diagnose-form')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByLabel('Log, build output or backtrace')).toHaveValue('');
});

test('the tool area is kept out of the search index', async ({ page }) => {
  await page.goto('/diagnose/');
  await expect(page.locator('.diagnose')).toHaveAttribute('data-pagefind-ignore', '');
});

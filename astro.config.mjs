// @ts-check
import { defineConfig } from 'astro/config';
import { publicSiteUrl, repoEditUrl } from './src/lib/site.ts';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import starlightLinksValidator from 'starlight-links-validator';
import { identifierSearch } from './src/integrations/identifier-search.ts';
import { issueSidebarItems, packageSidebarItems } from './src/lib/records/sidebar-fs.ts';

export default defineConfig({
  site: publicSiteUrl(process.env),
  integrations: [
    starlight({
      title: 'uenv internal CXI',
      description: 'Knowledge base and runbooks for a self-contained uenv stack that builds the Slingshot network layer from source.',
      lastUpdated: false,
      favicon: '/favicon.svg',
      // Guide pages get Starlight's edit link when the build is told the repository (records get theirs from EditRecord).
      ...(repoEditUrl(process.env, '') ? { editLink: { baseUrl: repoEditUrl(process.env, '') } } : {}),
      head: [
        { tag: 'link', attrs: { rel: 'alternate', type: 'application/atom+xml', title: 'Known issues (Atom)', href: '/issues.atom' } },
        { tag: 'link', attrs: { rel: 'alternate', type: 'application/json', title: 'Known issues (JSON)', href: '/issues.json' } },
      ],
      // Pagefind's own ranking defaults instead of Starlight's (pageLength 0.1): long runbook pages
      // that mention an identifier in passing must not outrank the issue page that is about it.
      pagefind: { ranking: { pageLength: 0.75, termFrequency: 1.0, termSaturation: 1.4, termSimilarity: 1.0 } },
      plugins: [
        starlightLinksValidator({
          errorOnRelativeLinks: false,
          // Generated pages in src/pages are not Starlight content; the e2e link crawl checks them.
          exclude: ['/issues/', '/issues/*', '/packages/**', '/diagnose/', '/graph/', '/performance/*'],
        }),
      ],
      customCss: ['./src/styles/custom.css'],
      sidebar: [
        {
          label: 'Guides',
          items: [{ autogenerate: { directory: 'guides' } }],
        },
        {
          label: 'Packages',
          items: packageSidebarItems(),
        },
        {
          label: 'Known issues',
          items: [{ label: 'All issues', link: '/issues/' }, ...issueSidebarItems()],
        },
      ],
    }),
    mdx(),
    identifierSearch(),
  ],
});

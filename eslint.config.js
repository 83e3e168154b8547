// Lint configuration. The `no-restricted-imports` rules enforce the pipeline layering of
// DESIGN.md: a stage may import only from stages to its left
// (core → domain → pricing → surface → marking → liquidation → risk; io and cli on top),
// io-ts is used only in lib/domain (the boundary), and lib/core is plain numerics.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const stages = ['core', 'domain', 'pricing', 'surface', 'marking', 'liquidation', 'risk', 'io', 'cli']

/** Libraries each stage may not import. */
const bannedLibraries = {
  core: ['fp-ts', 'fp-ts/*', 'io-ts', 'io-ts/*', 'mathjs'],
  domain: ['mathjs'],
  pricing: ['io-ts', 'io-ts/*', 'mathjs'],
}

const layering = stages.map((stage, i) => {
  const forbidden = stages.slice(i + 1)
  const libs = bannedLibraries[stage] ?? ['io-ts', 'io-ts/*']
  return {
    files: [`lib/${stage}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidden.map((f) => ({
              group: [`../${f}/*`, `../../${f}/*`, `**/lib/${f}/*`, `../${f}`, `../index.js`, `../index`],
              message: `layering: lib/${stage} may not import from lib/${f} or the public index (stages point left to right only)`,
            })),
            { group: libs, message: `layering: lib/${stage} may not import ${libs.join(', ')}` },
          ],
        },
      ],
    },
  }
})

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'docs/api/**',
      'node_modules/**',
      'coverage/**',
      'spec/fixtures/**',
      'spec/.generated/**',
      '.scratch*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...layering,
  {
    files: ['lib/cli/**/*.ts', 'bench/**/*.ts', 'spec/**/*.ts', '*.js', '*.ts'],
    rules: { 'no-console': 'off' },
  },
)

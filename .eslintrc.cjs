// Lint: TypeScript rules for everything; plugin/.eslintrc.cjs adds eslint-plugin-sf-plugin's recommended set.
module.exports = {
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname, sourceType: 'module', warnOnUnsupportedTypeScriptVersion: false },
  plugins: ['@typescript-eslint'],
  extends: ['eslint:recommended', 'plugin:@typescript-eslint/recommended'],
  env: { node: true, es2022: true },
  ignorePatterns: ['plugin/lib/', 'node_modules/', '*.cjs', '*.mjs'],
  rules: {
    '@typescript-eslint/no-floating-promises': 'error',
    '@typescript-eslint/no-misused-promises': 'error',
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    'no-console': ['error', { allow: ['error'] }],
  },
  overrides: [
    {
      files: ['test/**/*.ts', 'scripts/**/*.ts', 'emulator/src/**/*.ts'],
      rules: {
        'no-console': 'off',
        // node:test's describe/it return promises the runner awaits itself; what must never float in a
        // test is an assertion on a promise, which would pass without checking anything.
        '@typescript-eslint/no-floating-promises': 'off',
        'no-restricted-syntax': [
          'error',
          {
            selector: "ExpressionStatement > CallExpression[callee.object.name='assert'][callee.property.name=/^(rejects|doesNotReject)$/]",
            message: 'await assert.rejects / assert.doesNotReject, or the test passes without checking.',
          },
        ],
      },
    },
  ],
};

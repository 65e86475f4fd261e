// Lint: TypeScript rules plus eslint-plugin-sf-plugin's recommended set for the commands.
module.exports = {
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname, sourceType: 'module', warnOnUnsupportedTypeScriptVersion: false },
  plugins: ['@typescript-eslint', 'sf-plugin'],
  extends: ['eslint:recommended', 'plugin:@typescript-eslint/recommended', 'plugin:sf-plugin/recommended'],
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
      files: ['test/**/*.ts', 'scripts/**/*.ts'],
      rules: { 'no-console': 'off' },
    },
  ],
};

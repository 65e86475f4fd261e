// The sf-plugin rules read messages/ from the working directory, so `npm run lint` lints src/ from here.
module.exports = {
  plugins: ['sf-plugin'],
  extends: ['plugin:sf-plugin/recommended'],
};

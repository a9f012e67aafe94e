// The in-browser page compiles its template at run time, so it imports Vue's full build; its
// API and types are Vue's own.
declare module 'vue/dist/vue.esm-bundler.js' {
  export * from 'vue';
}

/** How the agent reaches the host: paths as a value and a small synchronous file-reading port. */
export * from './hostPaths.js';
export * from './hostReader.js';
export * from './fsHostReader.js';

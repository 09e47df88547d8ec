// Every workflow the worker registers. Workflow code is bundled and replayed: nothing here may read the clock,
// the network, the file system or configuration except through activities.
export * from './case/workflow';
export * from './oversight';

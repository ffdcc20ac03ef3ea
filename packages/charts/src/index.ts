export { registeredFontFamilies, FONT_FAMILY, COLORS } from './render';
export * from './histogram';
export * from './comparison';
export * from './equityCurve';
export * from './overfitting';

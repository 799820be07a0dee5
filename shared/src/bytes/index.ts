/** Bytes as text and text as bytes (base64, data URLs), and what an image is from its first bytes. */
export { Base64Error, base64Size, base64ToBytes, base64UrlToBytes, bytesToBase64, bytesToBase64Ascii, bytesToBase64Url, dataUrl, parseDataUrl } from './base64.ts';
export { imageSize, RASTER_DATA_URL, sniffRaster, squareCrop, type RasterMime } from './image-type.ts';
export { platformCrypto } from './platform-crypto.ts';

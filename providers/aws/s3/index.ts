/** Object store (knowledge base): S3 on the SDK, and the mock over in-memory objects and local folders. */
export { MockObjectStore } from './mock';
export { SdkObjectStore } from './real';

// Reading email: raw bytes (or a bare body) → the domain's InboundEmail.
export { parseEmail } from './parse-email.ts';
export { parseBody } from './parse-body.ts';
export { openAttachment } from './mime.ts';

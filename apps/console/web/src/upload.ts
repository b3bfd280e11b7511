import { currentCsrf } from './api';

export interface UploadAnswer {
  status: number;
  body: { message?: string; details?: { field: string; message: string }[] } & Record<string, unknown>;
}

/**
 * POSTs a file as its own body (not a form) with XMLHttpRequest, whose upload events report progress; the session's
 * CSRF header goes with it. Resolves with the answer whatever its status; rejects only when the network failed.
 */
export function uploadFile(
  path: string,
  file: Blob,
  contentType: string,
  onProgress: (sent: number, total: number) => void,
): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-csrf-token', currentCsrf());
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: UploadAnswer['body'] = {};
      try {
        body = JSON.parse(xhr.responseText) as UploadAnswer['body'];
      } catch {
        // not JSON: the status says enough
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('the upload failed: the console could not be reached'));
    xhr.send(file);
  });
}

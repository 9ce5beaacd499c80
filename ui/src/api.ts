/**
 * The page's calls to the app's API (docs/app.md). The token travels in the cookie that opening the
 * printed address set; every answer that is not ok carries { problems: [{ code, message, fix }] }.
 */
export interface Problem {
  code: string;
  message: string;
  fix?: string;
  where?: { file?: string; row?: number; column?: string; key?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problems: Problem[],
  ) {
    super(problems.map((p) => p.message).join("; ") || `HTTP ${status}`);
  }
}

/** The problems to show for a failed call: the API's own, or the page's when no answer came. */
export const problemsOf = (e: unknown): Problem[] =>
  e instanceof ApiError ? e.problems : [{ code: "E_PAGE", message: String(e) }];

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, (data as { problems?: Problem[] }).problems ?? []);
  return data as T;
}

export const api = {
  get: <T>(path: string) => call<T>("GET", path),
  put: <T>(path: string, body: unknown) => call<T>("PUT", path, body),
  post: <T>(path: string, body?: unknown) => call<T>("POST", path, body ?? {}),
  del: (path: string) => call<void>("DELETE", path),
};

/** Uploads files as multipart, reporting progress (0–1); fetch has no upload progress, XHR does. */
export function upload<T>(files: File[], onProgress: (share: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append("files", f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/studies");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const data = JSON.parse(xhr.responseText || "{}");
      if (xhr.status === 201) resolve(data as T);
      else reject(new ApiError(xhr.status, data.problems ?? []));
    };
    xhr.onerror = () => reject(new ApiError(0, [{ code: "E_NETWORK", message: "the app did not answer" }]));
    xhr.send(form);
  });
}

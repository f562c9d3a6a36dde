//! Requests and answers: JSON and bytes with the device's token, retried
//! with jittered backoff on a network failure, a 5xx or a 429.

use crate::*;
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::Value;
use waymark_protocol::*;

impl Client {
    pub(crate) async fn send_bytes(
        &self,
        url: &str,
        token: &str,
        body: Vec<u8>,
    ) -> Result<BlobStatus> {
        self.with_retries(|| async {
            let response = self
                .http
                .put(url)
                .bearer_auth(token)
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .body(body.clone())
                .send()
                .await
                .map_err(network)?;
            json_answer(response).await
        })
        .await
    }

    pub(crate) async fn get_json<Resp: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        token: &str,
    ) -> Result<Resp> {
        self.with_retries(|| async {
            let response = self
                .http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .map_err(network)?;
            json_answer(response).await
        })
        .await
    }

    pub(crate) async fn get_bytes(&self, url: &str, token: &str) -> Result<Vec<u8>> {
        self.with_retries(|| async {
            let response = self
                .http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .map_err(network)?;
            if response.status() == StatusCode::OK {
                return response.bytes().await.map(|b| b.to_vec()).map_err(network);
            }
            json_answer::<Value>(response).await.map(|_| Vec::new())
        })
        .await
    }

    /// Runs a request, again after a network failure, a 5xx or a 429, with
    /// backoff: every request here is safe to repeat.
    pub(crate) async fn with_retries<T, F, Fut>(&self, mut attempt_once: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let mut wait = self.options.backoff;
        let mut attempt = 1;
        loop {
            match attempt_once().await {
                Err(e) if e.retryable() && attempt < self.options.attempts => {
                    // Jittered (half the wait, plus up to half again), so
                    // devices cut off together do not come back together.
                    let half = wait / 2;
                    tokio::time::sleep(half + half.mul_f64(rand::random::<f64>())).await;
                    wait = (wait * 2).min(self.options.max_backoff);
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// One request with retries: the same body is sent again after a
    /// network failure, a 5xx or a 429. Pushes are idempotent by change id
    /// and pulls read from cursors, so a retry never duplicates anything.
    pub(crate) async fn post<Req: Serialize, Resp: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Req,
    ) -> Result<Resp> {
        let body = serde_json::to_vec(body).map_err(|e| SyncError::Protocol(e.to_string()))?;
        self.with_retries(|| self.post_once(path, token, body.clone()))
            .await
    }

    pub(crate) async fn post_once<Resp: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: Vec<u8>,
    ) -> Result<Resp> {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(network)?;
        json_answer(response).await
    }
}

/// A JSON answer, or the server's refusal (its code and sentence).
pub(crate) async fn json_answer<Resp: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<Resp> {
    let status = response.status();
    let bytes = response.bytes().await.map_err(network)?;
    if status == StatusCode::OK {
        return serde_json::from_slice(&bytes).map_err(|e| SyncError::Protocol(e.to_string()));
    }
    let Ok(refusal) = serde_json::from_slice::<ErrorBody>(&bytes) else {
        return Err(SyncError::NotTheServer {
            status: status.as_u16(),
        });
    };
    Err(SyncError::Refused {
        status: status.as_u16(),
        code: refusal.error,
        message: refusal.message,
        server_time_ms: refusal.server_time_ms,
        erased: refusal.erased,
        withdrawn: refusal.withdrawn,
    })
}

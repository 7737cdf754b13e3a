//! The HTTP/1 accept loop, with deadlines on every connection: at most
//! `max_connections` open at once, each request head complete within
//! `header_timeout` of the server starting to wait for it, and a connection
//! that sends nothing between requests closed after `idle_timeout`. Idle or
//! slow clients therefore cannot hold file descriptors for long, and the
//! service recovers by itself once they are gone.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;
use tower::ServiceExt;

/// More header lines than the request checks allow, so that those checks
/// (not the HTTP library) answer, in our own error shape.
const MAX_HEADERS_PARSED: usize = 400;

#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// From the moment the server waits for a request (a new connection,
    /// or the end of the previous answer) until its head is complete.
    pub header_timeout: Duration,
    /// A connection that sends nothing for this long between requests is
    /// closed; at most `header_timeout`, which also runs while idle.
    pub idle_timeout: Duration,
    /// Open connections at most; further clients wait in the listen queue.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(5),
            max_connections: 1024,
        }
    }
}

impl ConnectionLimits {
    pub fn check(&self) -> Result<(), String> {
        if self.max_connections == 0 {
            return Err("max-connections must be at least 1".into());
        }
        if self.header_timeout.is_zero() || self.idle_timeout.is_zero() {
            return Err("the header and idle timeouts must be at least 1 second".into());
        }
        if self.idle_timeout > self.header_timeout {
            return Err(
                "the idle timeout cannot exceed the header timeout, which also runs while idle".into(),
            );
        }
        Ok(())
    }
}

/// Serves `router` until `shutdown` resolves, then lets open requests
/// finish and closes idle connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    limits.check().map_err(io::Error::other)?;
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    // Every connection holds a receiver; all are gone when all closed.
    let (closed_tx, closed_rx) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let connection = Connection {
            router: router.clone(),
            limits,
            remote,
            stop: stop_rx.clone(),
            _permit: permit,
            _open: closed_rx.clone(),
        };
        tokio::spawn(connection.run(stream));
    }
    drop(listener);
    stop_tx.send_replace(true);
    drop(closed_rx);
    closed_tx.closed().await;
    Ok(())
}

/// Out of file descriptors or memory: wait a moment for connections to
/// close instead of spinning. A client that gave up is no error of ours.
async fn accept_failed(error: io::Error) {
    if matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionRefused
    ) {
        return;
    }
    tracing::error!(%error, "accept failed; retrying shortly");
    tokio::time::sleep(Duration::from_millis(250)).await;
}

struct Connection {
    router: Router,
    limits: ConnectionLimits,
    remote: SocketAddr,
    stop: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
    _open: watch::Receiver<()>,
}

impl Connection {
    async fn run(mut self, stream: TcpStream) {
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Tracked {
            inner: stream,
            activity: activity.clone(),
        });
        let service = service(self.router.clone(), self.remote, activity.clone());
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.limits.header_timeout)
            .max_headers(MAX_HEADERS_PARSED);
        let mut conn = pin!(builder.serve_connection(io, service));
        let mut stopping = false;
        loop {
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(error) = result {
                        tracing::debug!(%error, "connection ended with an error");
                    }
                    break;
                }
                _ = tokio::time::sleep_until(activity.next_check(self.limits.idle_timeout)) => {
                    if activity.idle_for(self.limits.idle_timeout) {
                        tracing::debug!(remote = %self.remote, "closing an idle connection");
                        break;
                    }
                }
                _ = self.stop.wait_for(|stop| *stop), if !stopping => {
                    stopping = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// The router with the peer address (for per-address login limits),
/// counting requests in flight so the idle check leaves them alone.
fn service(
    router: Router,
    remote: SocketAddr,
    activity: Arc<Activity>,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = axum::response::Response,
    Error = Infallible,
    Future = impl Send,
> {
    hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(remote));
        let busy = activity.request_started();
        let answer = router.clone().oneshot(request);
        async move {
            let response = answer.await;
            drop(busy);
            response
        }
    })
}

/// When a connection last moved bytes, and how many of its requests are
/// being answered.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn request_started(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.touch();
        InFlight(self.clone())
    }

    fn idle_deadline(&self, idle: Duration) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed)) + idle
    }

    fn idle_for(&self, idle: Duration) -> bool {
        self.in_flight.load(Ordering::Relaxed) == 0 && Instant::now() >= self.idle_deadline(idle)
    }

    /// While a request is answered the connection is never idle: look
    /// again a whole idle period later.
    fn next_check(&self, idle: Duration) -> Instant {
        if self.in_flight.load(Ordering::Relaxed) > 0 {
            Instant::now() + idle
        } else {
            self.idle_deadline(idle)
        }
    }
}

/// Marks one request as answered when dropped, also when it is cancelled.
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// A socket that records when bytes last went either way.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl Tracked {
    fn moved<T>(&self, poll: Poll<io::Result<T>>, bytes: impl FnOnce(&T) -> usize) -> Poll<io::Result<T>> {
        if let Poll::Ready(Ok(value)) = &poll
            && bytes(value) > 0
        {
            self.activity.touch();
        }
        poll
    }
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        self.moved(poll, |_| read)
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.moved(poll, |n| *n)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.moved(poll, |n| *n)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

//! Wiring: builds the adapters from the configuration and hands them to the domain's
//! services. Everything a request or a command needs hangs off [`App`].

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use benefits_domain::audit::AuditLog;
use benefits_domain::benefits::AppreciationService;
use benefits_domain::campaign::{CampaignRepository, CampaignService};
use benefits_domain::clock::Clock;
use benefits_domain::customer::CustomerService;
use benefits_domain::customer_view::CustomerViewService;
use benefits_domain::notification::{NotificationService, Notifier};
use benefits_domain::partner::DiscountService;
use benefits_domain::refund::{RefundService, RefundStores};
use benefits_domain::report::ReportRepository;
use benefits_infra::cache::{Cache, RedisTier};
use benefits_infra::clock::{FixedClock, SystemClock};
use benefits_infra::codes::RandomCodes;
use benefits_infra::crypto::{DataKeys, DevelopmentKeys, FieldCipher, LookupHasher};
use benefits_infra::db::{
    self, Backend, CustomerViewCache, DatabaseConnection, SeaAppreciationRepository, SeaAuditLog,
    SeaBankDirectory, SeaCampaignRepository, SeaCatalogRepository, SeaCustomerRepository,
    SeaCustomerViews, SeaDiscountRepository, SeaEligibilityTally, SeaNotifier, SeaRefundRepository,
    SeaReportRepository,
};
use benefits_infra::oidc::OidcClient;
use benefits_infra::rate_limit::RateLimiter;
use benefits_infra::tokens::{
    ClaimPaths, IdentityProvider, ProviderKeys, SigningKey, TokenAudience, TokenService,
};

use crate::config::{Config, KeySource};
use crate::metrics::Metrics;

/// How long an entry of the in-process cache tier may live.
const LOCAL_CACHE_TTL: Duration = Duration::from_secs(5);
/// How long a customer view may be kept when every replica (and every command) hears
/// the others' invalidations through Redis.
const SHARED_VIEW_TTL: Duration = Duration::from_mins(10);
/// How long connecting to the identity provider may take.
const OUTBOUND_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The HTTP client for the identity provider (JWKS, discovery, token endpoint): TLS
/// over the system's trust store, no redirects followed, bounded waits.
fn outbound_http() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(OUTBOUND_CONNECT_TIMEOUT)
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .context("cannot build the HTTP client")
}

/// The certificate authorities of a `rediss://` server, when a file names them.
fn redis_ca(file: Option<&std::path::Path>) -> anyhow::Result<Option<Vec<u8>>> {
    file.map(|path| {
        std::fs::read(path)
            .with_context(|| format!("cannot read the Redis CA file {}", path.display()))
    })
    .transpose()
}

/// The running service's parts.
#[derive(Clone)]
pub struct App {
    pub config: Arc<Config>,
    pub db: DatabaseConnection,
    /// The read replica reports read from, when one is configured.
    pub read_replica: Option<DatabaseConnection>,
    pub clock: Arc<dyn Clock>,
    pub tokens: Arc<TokenService>,
    pub cache: Cache,
    pub campaigns: Arc<dyn CampaignRepository>,
    pub campaign: CampaignService,
    pub audit: Arc<dyn AuditLog>,
    pub notifier: Arc<dyn Notifier>,
    pub notifications: NotificationService,
    pub customers: CustomerService,
    /// Customers' views (`me`, the agent's customer page), cached.
    pub views: CustomerViewService,
    /// The cache behind `views`, for its figures.
    pub view_cache: CustomerViewCache,
    pub refunds: RefundService,
    pub discounts: DiscountService,
    pub appreciation: AppreciationService,
    pub reports: Arc<dyn ReportRepository>,
    pub metrics: Arc<Metrics>,
    pub rate_limiter: RateLimiter,
    /// The client for calls to the identity provider.
    pub http: reqwest::Client,
    /// The console's sign-in through the identity provider, when configured.
    pub oidc: Option<Arc<OidcClient>>,
}

struct Keys {
    cipher: FieldCipher,
    hasher: LookupHasher,
    signing: Option<SigningKey>,
}

fn load_keys(source: &KeySource) -> anyhow::Result<Keys> {
    match source {
        KeySource::Configured(keys) => Ok(Keys {
            cipher: FieldCipher::new(&DataKeys::from_base64(
                keys.data_keys
                    .iter()
                    .map(|(v, k)| (*v, k.expose().as_str())),
                keys.active_data_key,
            )?),
            hasher: LookupHasher::from_base64(keys.lookup_key.expose())?,
            signing: keys
                .signing_key
                .as_ref()
                .map(|(kid, seed)| SigningKey::from_seed_base64(kid, seed))
                .transpose()?,
        }),
        KeySource::DevelopmentFile(path) => {
            let (keys, created) = DevelopmentKeys::load_or_create(path)?;
            if created {
                tracing::warn!(
                    key_file = %path.display(),
                    "generated DEVELOPMENT keys for the embedded default; never use them in production"
                );
            }
            Ok(Keys {
                cipher: FieldCipher::new(&DataKeys::from_base64(
                    [(keys.data_key_version, keys.data_key.expose().as_str())],
                    keys.data_key_version,
                )?),
                hasher: LookupHasher::from_base64(keys.lookup_key.expose())?,
                signing: Some(SigningKey::from_seed_base64(
                    &keys.signing_key_id,
                    &keys.signing_key,
                )?),
            })
        }
    }
}

impl App {
    /// Connects to the database (migrating it first) and the cache, loads the keys and
    /// builds the services.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let url = config.database_url.expose();
        let backend = Backend::of_url(url)
            .context("the database URL must start with sqlite: or postgres://")?;
        let pool_size = match backend {
            Backend::Postgres => config.database_pool_size,
            // One connection: SQLite has one writer, and a second connection's
            // read-then-write transaction would fail with SQLITE_BUSY instead of waiting.
            Backend::Sqlite => 1,
        };
        let db = db::connect(url, pool_size)
            .await
            .context("cannot connect to the database")?;
        let read_replica = match &config.database_read_url {
            Some(url) => Some(
                db::connect(url.expose(), pool_size)
                    .await
                    .context("cannot connect to the read replica")?,
            ),
            None => None,
        };
        let reads = read_replica.clone().unwrap_or_else(|| db.clone());
        if config.migrate_on_start {
            db::migrate(&db)
                .await
                .context("cannot migrate the database")?;
        }

        let clock: Arc<dyn Clock> = match config.clock {
            Some(instant) => Arc::new(FixedClock(instant)),
            None => Arc::new(SystemClock),
        };
        let keys = load_keys(&config.keys)?;
        let audience = TokenAudience {
            issuer: config.token_issuer.clone(),
            audience: config.token_audience.clone(),
        };
        let http = outbound_http()?;
        let mut tokens = TokenService::new(
            audience,
            &config.verifying_keys,
            keys.signing,
            clock.clone(),
        )?;
        if let Some(provider) = &config.identity_provider {
            let keys = ProviderKeys::load(provider.jwks.clone(), http.clone())
                .await
                .context("cannot load the identity provider's keys")?;
            tokens = tokens.trusting(IdentityProvider {
                keys,
                claims: ClaimPaths::new(&provider.role_claim, &provider.subject_claim),
            });
        }
        let tokens = Arc::new(tokens);

        let remote = match &config.redis_url {
            Some(url) => Some(
                RedisTier::connect(
                    url.expose(),
                    config.redis_topology,
                    &config.redis_prefix,
                    redis_ca(config.redis_ca_cert.as_deref())?,
                )
                .await
                .context("invalid Redis URL")?,
            ),
            None => None,
        };
        let rate_limiter = RateLimiter::new(remote.clone(), crate::graphql::RATE_WINDOW);
        // Without Redis another process's writes (a command, another replica) are not
        // heard, so views live only as long as the cache's other entries.
        let view_ttl = if remote.is_some() {
            SHARED_VIEW_TTL
        } else {
            LOCAL_CACHE_TTL
        };
        let view_cache = CustomerViewCache::new(
            remote.clone(),
            config.local_cache_capacity,
            view_ttl,
            db.clone(),
        );
        let cache = Cache::new(remote, config.local_cache_capacity, LOCAL_CACHE_TTL);

        let campaigns: Arc<dyn CampaignRepository> =
            Arc::new(SeaCampaignRepository::new(db.clone()));
        let audit: Arc<dyn AuditLog> =
            Arc::new(SeaAuditLog::new(db.clone()).reading_from(reads.clone()));
        let notifier: Arc<dyn Notifier> = Arc::new(SeaNotifier::new(db.clone()));
        let customer_repository = Arc::new(
            SeaCustomerRepository::new(db.clone(), keys.cipher.clone(), keys.hasher.clone())
                .invalidating(view_cache.clone()),
        );
        let report_customers = Arc::new(SeaCustomerRepository::new(
            reads.clone(),
            keys.cipher.clone(),
            keys.hasher.clone(),
        ));
        let refund_repository = Arc::new(
            SeaRefundRepository::new(db.clone(), keys.cipher.clone(), keys.hasher.clone())
                .invalidating(view_cache.clone()),
        );
        let views = CustomerViewService::new(Arc::new(SeaCustomerViews::new(
            view_cache.clone(),
            SeaCustomerRepository::new(db.clone(), keys.cipher.clone(), keys.hasher.clone()),
            SeaRefundRepository::new(db.clone(), keys.cipher.clone(), keys.hasher.clone()),
        )));
        let tally = Arc::new(SeaEligibilityTally::new(
            db.clone(),
            SeaCustomerRepository::new(db.clone(), keys.cipher.clone(), keys.hasher.clone()),
        ));
        let report_refunds = Arc::new(SeaRefundRepository::new(
            reads.clone(),
            keys.cipher,
            keys.hasher.clone(),
        ));
        let discounts = DiscountService::new(
            Arc::new(SeaCatalogRepository::new(db.clone(), cache.clone())),
            Arc::new(
                SeaDiscountRepository::new(db.clone(), cache.clone(), keys.hasher.clone())
                    .reading_from(reads.clone()),
            ),
            customer_repository.clone(),
            campaigns.clone(),
            Arc::new(RandomCodes),
            audit.clone(),
            clock.clone(),
        );
        let appreciation = AppreciationService::new(
            Arc::new(SeaAppreciationRepository::new(
                db.clone(),
                keys.hasher.clone(),
            )),
            customer_repository.clone(),
            campaigns.clone(),
            Arc::new(RandomCodes),
            audit.clone(),
            clock.clone(),
        )
        .reporting_from(
            report_customers.clone(),
            Arc::new(SeaAppreciationRepository::new(
                reads.clone(),
                keys.hasher.clone(),
            )),
        );
        let customers =
            CustomerService::new(customer_repository.clone(), audit.clone(), clock.clone());
        let campaign = CampaignService::new(
            campaigns.clone(),
            refund_repository.clone(),
            audit.clone(),
            clock.clone(),
        );
        let notifications = NotificationService::new(
            notifier.clone(),
            customer_repository.clone(),
            campaigns.clone(),
            Arc::new(RandomCodes),
            audit.clone(),
            clock.clone(),
        );
        let refunds = RefundService::new(
            RefundStores {
                customers: customer_repository,
                refunds: refund_repository,
                tally,
            },
            campaigns.clone(),
            Arc::new(SeaBankDirectory::new(db.clone())),
            notifications.clone(),
            audit.clone(),
            clock.clone(),
        )
        .reporting_from(report_refunds);
        let reports: Arc<dyn ReportRepository> = Arc::new(SeaReportRepository::new(reads));

        let oidc = config.oidc.as_ref().map(|oidc| {
            Arc::new(OidcClient::new(
                http.clone(),
                oidc.issuer.clone(),
                oidc.client_id.clone(),
                oidc.redirect_uri.clone(),
                oidc.scope.clone(),
                oidc.client_secret.clone(),
            ))
        });
        Ok(Self {
            config: Arc::new(config),
            db,
            read_replica,
            clock,
            tokens,
            cache,
            campaigns,
            campaign,
            audit,
            notifier,
            notifications,
            customers,
            views,
            view_cache,
            refunds,
            discounts,
            appreciation,
            reports,
            metrics: Arc::default(),
            rate_limiter,
            oidc,
            http,
        })
    }
}

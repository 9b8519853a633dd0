using Microsoft.Extensions.Internal;

namespace Resolver.Core.Cache;

/// <summary>
/// The cache's <see cref="TimeProvider"/> as MemoryCache's clock, so its clean-up expiry runs on the same time as
/// freshness (a test that advances the clock sees expired entries go, without sleeping). MemoryCacheOptions takes
/// an <see cref="ISystemClock"/>, not a TimeProvider.
/// </summary>
internal sealed class HostClock(TimeProvider time) : ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Resolver.Core.SharedCache;

/// <summary>The shared store as the circuit sees it; the numbers are the <c>resolver.shared_cache.state</c> gauge.</summary>
public enum SharedCacheState
{
    /// <summary>Asked on every local miss.</summary>
    Available = 0,

    /// <summary>The cool-down is over: one read goes to the store to see whether it is back.</summary>
    Probing = 1,

    /// <summary>Not asked: recent reads failed or timed out, so asking would only cost each miss its budget.</summary>
    Unavailable = 2,
}

/// <summary>
/// Keeps a dead or stalled store from costing every miss its read budget: after
/// <see cref="SharedCacheOptions.CircuitFailures"/> consecutive failed reads the store is not asked for
/// <see cref="SharedCacheOptions.CircuitCoolDown"/>; then one read probes it, and its outcome closes the circuit or
/// opens it for another cool-down. A warning is logged when sharing stops and an information line when it resumes,
/// once per change, not per query. The available state is read without a lock (it is every miss's first check).
/// </summary>
public sealed partial class SharedCacheCircuit
{
    private readonly object _lock = new();
    private readonly int _threshold;
    private readonly TimeSpan _coolDown;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _state;
    private int _failures;
    private long _openedAt;
    private bool _probeOut;

    public SharedCacheCircuit(SharedCacheOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        _threshold = options.CircuitFailures;
        _coolDown = options.CircuitCoolDown;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    public SharedCacheState State => (SharedCacheState)Volatile.Read(ref _state);

    /// <summary>
    /// Whether a read may go to the store now. <paramref name="probe"/> is true for the one read that tests a store
    /// after its cool-down; its caller must report it with <see cref="Succeeded"/> or <see cref="Failed"/>.
    /// </summary>
    public bool TryEnter(out bool probe)
    {
        probe = false;
        if (State == SharedCacheState.Available)
            return true;
        lock (_lock)
        {
            if (_state == (int)SharedCacheState.Unavailable && _time.GetElapsedTime(_openedAt) >= _coolDown)
                Volatile.Write(ref _state, (int)SharedCacheState.Probing);
            if (_state != (int)SharedCacheState.Probing || _probeOut)
                return false;
            _probeOut = true;
            probe = true;
            return true;
        }
    }

    /// <summary>The store answered (with a value or without): the failure run ends; a probe closes the circuit.</summary>
    public void Succeeded(bool probe)
    {
        if (!probe)
        {
            if (State == SharedCacheState.Available && Volatile.Read(ref _failures) != 0)
                Volatile.Write(ref _failures, 0);
            return;
        }
        lock (_lock)
        {
            _probeOut = false;
            _failures = 0;
            Volatile.Write(ref _state, (int)SharedCacheState.Available);
        }
        LogAvailable();
    }

    /// <summary>A read failed (or was given up on by the client); the threshold-th in a row, or a failed probe, opens the circuit.</summary>
    public void Failed(bool probe, string reason)
    {
        if (probe)
        {
            lock (_lock)
                Open();
            LogProbeFailed(reason, _coolDown);
            return;
        }
        if (State != SharedCacheState.Available || Interlocked.Increment(ref _failures) < _threshold)
            return;
        bool opened = false;
        lock (_lock)
        {
            if (_state == (int)SharedCacheState.Available)
            {
                Open();
                opened = true;
            }
        }
        if (opened)
            LogUnavailable(_threshold, reason, _coolDown);
    }

    private void Open()
    {
        _openedAt = _time.GetTimestamp();
        _probeOut = false;
        Volatile.Write(ref _state, (int)SharedCacheState.Unavailable);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared cache unavailable after {Failures} failures in a row (last: {Reason}): not asked for {CoolDown}, local misses go upstream")]
    private partial void LogUnavailable(int failures, string reason, TimeSpan coolDown);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shared cache available again: local misses ask it first")]
    private partial void LogAvailable();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shared cache probe failed ({Reason}): not asked for another {CoolDown}")]
    private partial void LogProbeFailed(string reason, TimeSpan coolDown);
}

# The data of scripts/bench.sh, generated (never committed): a zone for the authoritative
# server and the query files dnsperf reads. Source it; it defines the functions below.
#
# The zone bench.test. has $BENCH_NAMES names hNNNNNN with one A record each (TTL one day, so
# nothing expires during a run) and a wildcard *.w.bench.test. that answers any name below
# w.bench.test., so cache misses can use names nobody asked before.

# write_bench_zone FILE NAMES
write_bench_zone() {
  local file=$1 names=$2
  {
    printf '$ORIGIN bench.test.\n$TTL 86400\n'
    printf '@ SOA ns.bench.test. hostmaster.bench.test. 1 3600 600 86400 3600\n'
    printf '@ NS ns\nns A 127.0.0.1\n*.w A 10.255.0.1\n'
    awk -v n="$names" 'BEGIN { for (i = 0; i < n; i++) printf "h%06d A 10.%d.%d.%d\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }'
  } >"$file"
}

# write_hit_queries FILE COUNT: the first COUNT names of the zone, type A (the warmed set).
write_hit_queries() {
  awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "h%06d.bench.test A\n", i }' >"$1"
}

# write_miss_queries FILE COUNT TAG: COUNT names under the wildcard, unique to TAG, so each
# is asked once and has to be forwarded.
write_miss_queries() {
  awk -v n="$2" -v tag="$3" 'BEGIN { for (i = 0; i < n; i++) printf "m%d.%s.w.bench.test A\n", i, tag }' >"$1"
}

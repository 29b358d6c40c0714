# Sourced by scripts/scale-test.sh: start a ClickHouse cluster of two local
# shards (Debian's clickhouse-server, one process per shard, loopback
# ports, data in a temp folder) and stop it again.
#
#   ch_start DIR BASEPORT   shard N listens on tcp BASEPORT+N, http BASEPORT+10+N
#   ch SHARD ARGS...        clickhouse-client on shard SHARD (1 or 2)
#   ch_stop                 stop both servers (by the pids ch_start recorded)
#
# Both shards know the cluster `llamashare` (remote_servers), so a
# Distributed table on either one reads both.

ch_pids=()

ch_config() { # DIR N BASEPORT
	local dir=$1 n=$2 base=$3
	mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
	cat > "$dir/config.xml" <<-EOF
		<?xml version="1.0"?>
		<yandex>
		  <logger><level>warning</level><log>$dir/server.log</log><errorlog>$dir/error.log</errorlog><console>0</console></logger>
		  <listen_host>127.0.0.1</listen_host>
		  <tcp_port>$((base + n))</tcp_port>
		  <http_port>$((base + 10 + n))</http_port>
		  <path>$dir/data/</path>
		  <tmp_path>$dir/tmp/</tmp_path>
		  <user_files_path>$dir/user_files/</user_files_path>
		  <format_schema_path>$dir/format_schemas/</format_schema_path>
		  <users_config>$dir/users.xml</users_config>
		  <default_profile>default</default_profile>
		  <default_database>default</default_database>
		  <mark_cache_size>5368709120</mark_cache_size>
		  <query_log><database>system</database><table>query_log</table><flush_interval_milliseconds>1000</flush_interval_milliseconds></query_log>
		  <remote_servers>
		    <llamashare>
		      <shard><replica><host>127.0.0.1</host><port>$((base + 1))</port></replica></shard>
		      <shard><replica><host>127.0.0.1</host><port>$((base + 2))</port></replica></shard>
		    </llamashare>
		  </remote_servers>
		</yandex>
	EOF
	cat > "$dir/users.xml" <<-EOF
		<?xml version="1.0"?>
		<yandex>
		  <profiles><default><max_memory_usage>4000000000</max_memory_usage><log_queries>1</log_queries></default></profiles>
		  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
		  <quotas><default></default></quotas>
		</yandex>
	EOF
}

ch_start() { # DIR BASEPORT
	ch_base=$2
	local n i
	for n in 1 2; do
		ch_config "$1/shard$n" "$n" "$ch_base"
		clickhouse-server --config-file="$1/shard$n/config.xml" > "$1/shard$n/stdout.log" 2>&1 &
		ch_pids+=($!)
	done
	for n in 1 2; do
		for i in $(seq 60); do
			clickhouse-client --port $((ch_base + n)) -q 'SELECT 1' > /dev/null 2>&1 && break
			if [ "$i" = 60 ]; then
				echo "clickhouse shard $n did not start:" >&2
				tail -20 "$1/shard$n/error.log" "$1/shard$n/stdout.log" >&2
				return 1
			fi
			sleep 0.5
		done
	done
}

ch() { # SHARD ARGS...
	local n=$1
	shift
	clickhouse-client --port $((ch_base + n)) "$@"
}

ch_stop() {
	local p
	for p in "${ch_pids[@]}"; do kill "$p" 2> /dev/null || true; done
	for p in "${ch_pids[@]}"; do wait "$p" 2> /dev/null || true; done
	ch_pids=()
}

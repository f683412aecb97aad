# Sourced by bench/profile and bench/allocations (from the project root): builds the app, starts three NGINX
# backends on 127.0.0.1:18181-18183 and HealthyProxy through bin/healthy-proxy serve on 18180 (admin 18190) in
# front of them, and waits until it answers. Sets $work (a fresh directory under bench/target, named after $1) and
# $proxy (the proxy's pid); everything it starts is stopped when the calling script exits.
serve_behind_nginx() {
  bench/install-peers
  local mvn=mvn
  command -v mvn >/dev/null 2>&1 || mvn="$PWD/mvnw"
  "$mvn" -q -B -Dstyle.color=never -DskipTests package -pl app -am 1>&2

  work="$PWD/bench/target/$1-$(date +%s)"
  mkdir -p "$work"
  pids=()
  trap 'for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT

  local i
  for i in 1 2 3; do
    sed -e "s|\${WORK}|$work|g" -e "s|\${NAME}|b$i|g" -e "s|\${PORT}|1818$i|g" -e "s|\${EXTRA_LISTENS}||g" \
        -e "s|\${BIG_DIR}|$work|g" bench/peers/backend-nginx.conf > "$work/b$i.conf"
    nginx -c "$work/b$i.conf" -p "$work" > "$work/b$i.log" 2>&1 &
    pids+=($!)
  done
  bin/healthy-proxy serve --listen 127.0.0.1:18180 --admin 127.0.0.1:18190 --backend 127.0.0.1:18181 \
    --backend 127.0.0.1:18182 --backend 127.0.0.1:18183 --health-path /health > "$work/proxy.log" 2>&1 &
  proxy=$!
  pids+=($proxy)
  for _ in $(seq 1 300); do curl -s -o /dev/null http://127.0.0.1:18180/ && break; sleep 0.1; done
}

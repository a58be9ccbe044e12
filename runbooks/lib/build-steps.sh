# shellcheck shell=bash
# The steps of runbooks/build-stack.sh. Sourced only. The `# @…` markers above each step are read
# twice: by the runbook (its step list) and by the site's "Rebuild the stack" page (grammar in
# src/lib/runbook-steps.ts). Each @command block is what the step really runs, as its log shows.
#
# Globals read (set by build-stack.sh): UK_BUILD_REPO UK_BUILD_RECIPE UK_BUILD_SYSTEM
# UK_BUILD_SYSTEM_GIVEN UK_BUILD_DIR UK_BUILD_MOUNT UK_BUILD_CACHE UK_BUILD_STACKINATOR
# UK_BUILD_JOBS UK_BUILD_MIN_FREE_GIB UK_BUILD_DRY_RUN UK_BUILD_NPX.
# Set: UK_BUILD_DRY_RUN_FAILED (preflight under --dry-run, when a real run would stop there).
#
# @placeholder <build>: the build directory, `--build` (default `/dev/shm/$USER/stack-build`). Not `/`, not under `/tmp` or `$HOME`.
# @placeholder <mount>: the mount point the image is built for, `--mount` (default: the recipe's `store`, `/user-environment`). It must exist.
# @placeholder <repo>: this repository's checkout, the one holding `runbooks/build-stack.sh`.
# @placeholder <recipe>: the stackinator recipe, `--recipe` (default `<repo>/content/recipe`).
# @placeholder <cluster>: this repository's cluster configuration, `<repo>/content/cluster/internal-cxi`.
# @placeholder <system>: the cluster configuration handed to stackinator, `--system` (default `<build>/sources/alps-cluster-config/internal-cxi`).
# @placeholder <cache>: a build-cache configuration file, `--cache` (optional).
# @placeholder <stackinator>: the stackinator checkout, `--stackinator DIR` (default `<build>/sources/stackinator`).
# @placeholder <stackinator-url>: `https://github.com/eth-cscs/stackinator.git` (the environment variable `UK_STACKINATOR_URL` overrides it, e.g. for a mirror).
# @placeholder <stackinator-ref>: the pinned head of stackinator's `releases/v5` branch (`uk_build_stackinator_ref` in `runbooks/lib/build-sources.sh`; `--help` prints it), or `--stackinator REF`.
# @placeholder <cluster-config-url>: `https://github.com/eth-cscs/alps-cluster-config.git` (`UK_CLUSTER_CONFIG_URL` overrides it).
# @placeholder <cluster-config-ref>: the pinned head of alps-cluster-config's `releases/v5` branch (`uk_build_cluster_config_ref` in `runbooks/lib/build-sources.sh`; `--help` prints it), or `--cluster-config REF`.
# @placeholder <image-dir>: where the image is copied: `--output DIR` (default `$SCRATCH/uenv-kb/images`), then the first 12 hex digits of its SHA-256 checksum.
# @placeholder <sha256>: the image's SHA-256 checksum, as `sha256sum` printed it.
# @placeholder <jobs>: parallel build jobs, `--jobs` (default: the number of cores, `nproc`, at most 64).

# @step 1 preflight: Check the host
# @doc Stops before anything is written when the host cannot run stackinator:
# @doc git, GNU make and bubblewrap (`bwrap`, the sandbox of stackinator's build), a `bwrap` that can really make a sandbox here, and python3 with the jinja2, jsonschema and pyyaml modules that
# @doc [`stack-config` declares](https://github.com/eth-cscs/stackinator/blob/65f797bdcc4377f2e013682457d9cc1b2dc368cc/bin/stack-config#L1-L9).
# @doc It checks the free space of the build path's filesystem (`--min-free`, default 50 GiB), that git reaches the repositories the sources step clones, and warns when the host is not aarch64
# @doc ([build on a compute node of the target architecture](https://github.com/eth-cscs/stackinator/blob/1255be83c69480b96ef3e8cff6fc81a33eb2781d/docs/building.md#L24-L29), here GH200), when less than 2 GiB of memory per job is available,
# @doc and when the build path is on a tmpfs inside a Slurm job: [`/dev/shm` is cleaned up after every job](https://github.com/eth-cscs/cscs-docs/blob/80abed138e7cc52ebf6703b82ed02520ab9bf92f/docs/clusters/daint.md#L169), so the report step copies the image to `--output`.
# @doc A dry run checks the tools and the Python modules too, and reports what a real run would stop on.
# @doc
# @doc On every run, before this step, the script applies stackinator's own rules to its arguments:
# @doc the build path is not `/`, not under `/tmp` and not under `$HOME`, which the build sandbox rebinds ([`Builder`](https://github.com/eth-cscs/stackinator/blob/1255be83c69480b96ef3e8cff6fc81a33eb2781d/stackinator/builder.py#L69-L82)), and neither are the build cache's root and key;
# @doc the mount point exists ([`Recipe`](https://github.com/eth-cscs/stackinator/blob/1255be83c69480b96ef3e8cff6fc81a33eb2781d/stackinator/recipe.py#L58-L60));
# @doc `--develop`, which the configure step passes, is not combined with a Spack version ([flags](https://github.com/eth-cscs/stackinator/blob/1255be83c69480b96ef3e8cff6fc81a33eb2781d/docs/configuring.md#L11-L57)): the recipe's `spack.commit` must not name a release;
# @doc and it is not run inside a uenv session.
# @command
#   command -v git make python3 bwrap
#   bwrap --dev-bind / / -- true
#   python3 -c 'import jinja2, jsonschema, yaml'
#   df -Pk -- <build>
#   uname -m
uk_build_step_preflight() {
  local missing=() tool free arch where msg failures=() mem url
  uk_build_run command -v git make python3 bwrap || true
  for tool in git make python3 bwrap; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] || failures+=("missing tools stackinator needs: ${missing[*]} (on Debian: apt-get install git make python3 bubblewrap)")
  # A dry run runs these read-only checks too: it must say what a real run would stop on.
  if command -v bwrap >/dev/null 2>&1; then
    printf '+ %s\n' "bwrap --dev-bind / / -- true" >&2
    bwrap --dev-bind / / -- true 2>/dev/null ||
      failures+=("bwrap cannot create a sandbox on this host (unprivileged user namespaces disabled?); stackinator's build runs in one")
  fi
  printf '+ %s\n' "python3 -c 'import jinja2, jsonschema, yaml'" >&2
  python3 -c 'import jinja2, jsonschema, yaml' 2>/dev/null ||
    failures+=("python3 lacks jinja2, jsonschema or pyyaml, which stackinator imports (pip install --user jinja2 jsonschema pyyaml)")
  if [ ${#failures[@]} -gt 0 ]; then
    msg="$(printf '%s; ' "${failures[@]}")"
    msg=${msg%; }
    [ "$UK_BUILD_DRY_RUN" = 1 ] || uk_die "$msg"
    # A dry run goes on to show every later step's commands, and fails at its end.
    uk_log "ERROR: $msg"
    # shellcheck disable=SC2034 # build-stack.sh reads it after the last step
    UK_BUILD_DRY_RUN_FAILED=$msg
  fi
  uk_build_check_inputs
  where="$(uk_build_existing_parent "$UK_BUILD_DIR")"
  if [ "$UK_BUILD_DRY_RUN" = 1 ]; then
    uk_build_run df -Pk -- "$where"
    uk_build_run uname -m
    uk_log "preflight (dry run, nothing measured): a real run needs $UK_BUILD_MIN_FREE_GIB GiB free (--min-free) in the filesystem of $where and warns unless uname -m is aarch64"
    return 0
  fi
  free="$(uk_build_free_gib "$where")"
  [ "$free" -ge "$UK_BUILD_MIN_FREE_GIB" ] ||
    uk_die "only $free GiB free for $UK_BUILD_DIR, need $UK_BUILD_MIN_FREE_GIB GiB (--min-free); pick a larger filesystem with --build"
  for url in $(uk_build_urls_to_clone); do
    uk_build_check_reach "$url" || uk_die "git cannot reach $url (30 s): the sources step clones it; on a node without internet access, clone on a login node first (run with --only sources there)"
  done
  mem="$(uk_build_mem_gib)"
  [ -z "$mem" ] || [ "$mem" -ge $((2 * UK_BUILD_JOBS)) ] ||
    uk_warn "only $mem GiB of memory available for $UK_BUILD_JOBS jobs (our rule of thumb: 2 GiB per compiler job); lower --jobs if compilers are killed"
  if [ -n "${SLURM_JOB_ID:-}" ] && [ "$(stat -f -c %T -- "$where" 2>/dev/null)" = tmpfs ]; then
    uk_warn "$UK_BUILD_DIR is on a tmpfs inside Slurm job $SLURM_JOB_ID: it is wiped when the job ends, so a build that does not finish in this job starts over; the report step copies the image to ${UK_BUILD_OUTPUT:-(no --output, and \$SCRATCH is not set)}"
  fi
  arch="$(uk_build_run uname -m)"
  [ "$arch" = aarch64 ] ||
    uk_warn "this host is $arch; the stack targets GH200 (aarch64): build on a compute node of the target architecture"
  uk_log "preflight ok: tools present, $free GiB free, architecture $arch"
}

# @step 2 sources: Fetch stackinator and the cluster configuration
# @doc Clones stackinator at a pinned commit of its `releases/v5` branch, whose `--develop` [selects its templates for Spack's develop branch](https://github.com/eth-cscs/stackinator/blob/1255be83c69480b96ef3e8cff6fc81a33eb2781d/stackinator/recipe.py#L210-L249),
# @doc and [eth-cscs/alps-cluster-config](https://github.com/eth-cscs/alps-cluster-config) at a pinned commit of `releases/v5` ([`91887e18`](https://github.com/eth-cscs/alps-cluster-config/tree/91887e18157fc584adfa314f90e09543c072e19d)), so that a rebuild takes the same site packages.
# @doc Our `internal-cxi` folder is copied into that checkout, beside the `site` package repository its `repos.yaml` points at (`../site/repo`), where cray-mpich and its companions come from.
# @doc A checkout from an earlier run is reused; `--stackinator DIR` uses your own stackinator checkout, and `--system DIR` skips the cluster configuration.
# @doc Each clone is made beside its place, as `<name>.partial`, and renamed into place once complete, so a run killed mid-clone leaves no half checkout; a reused checkout must have every tracked file as committed.
# @command
#   git clone --no-checkout -- <stackinator-url> <build>/sources/stackinator.partial
#   git -C <build>/sources/stackinator.partial checkout --detach <stackinator-ref>
#   mv -- <build>/sources/stackinator.partial <build>/sources/stackinator
#   git clone --no-checkout -- <cluster-config-url> <build>/sources/alps-cluster-config.partial
#   git -C <build>/sources/alps-cluster-config.partial checkout --detach <cluster-config-ref>
#   mv -- <build>/sources/alps-cluster-config.partial <build>/sources/alps-cluster-config
#   cp -a -- <cluster> <build>/sources/alps-cluster-config/internal-cxi
uk_build_step_sources() {
  uk_build_fetch_stackinator
  if [ -n "$UK_BUILD_SYSTEM_GIVEN" ]; then
    uk_log "cluster configuration: $UK_BUILD_SYSTEM (--system), nothing to fetch"
  else
    uk_build_fetch_cluster_config
  fi
}

# @step 3 validate: Validate the recipe
# @doc Runs this repository's recipe validator, which applies stackinator's schema and rules plus ours and prints `file:line:col: field: message` for each problem.
# @doc Where Node.js is not installed (a login node) the step says so and moves on: the configure step's stackinator is then the check.
# @command
#   cd <repo>
#   npx --no-install uenv-kb check-recipe <recipe> --system <system>
# @fails stackinator-recipe-validation: the recipe has an unknown or missing key, or a malformed spec
uk_build_step_validate() {
  if ! command -v "$UK_BUILD_NPX" >/dev/null 2>&1 || [ ! -d "$UK_BUILD_REPO/node_modules" ]; then
    uk_log "skipped: Node.js or this repository's node_modules is missing; stack-config (step 4) validates the recipe"
    return 0
  fi
  uk_build_run_in "$UK_BUILD_REPO" "$UK_BUILD_NPX" --no-install uenv-kb check-recipe "$UK_BUILD_RECIPE" --system "$UK_BUILD_SYSTEM"
}

# @step 4 configure: Configure the build with stack-config
# @doc Runs stackinator's `stack-config` as the [Building](/guides/building/) page explains it: recipe (`-r`), cluster configuration (`-s`), build path (`-b`), mount point (`-m`), and `--develop`, which makes stackinator use its templates for a Spack develop snapshot
# @doc ([what `--develop` does](https://github.com/eth-cscs/stackinator/blob/1255be83c69480b96ef3e8cff6fc81a33eb2781d/stackinator/recipe.py#L210-L249)).
# @doc `-c` adds a build cache when `--cache` is given.
# @doc It runs with the host's python3, so no `uv` is needed, from `<build>/logs`, because stack-config [writes its log file into the current directory](https://github.com/eth-cscs/stackinator/blob/1255be83c69480b96ef3e8cff6fc81a33eb2781d/stackinator/main.py#L15-L30).
# @command
#   cd <build>/logs
#   python3 <stackinator>/bin/stack-config -r <recipe> -s <system> -b <build> -m <mount> --develop
# @command With a build cache (--cache)
#   cd <build>/logs
#   python3 <stackinator>/bin/stack-config -r <recipe> -s <system> -b <build> -m <mount> -c <cache> --develop
# @fails stackinator-recipe-validation: stack-config stops with a jsonschema ValidationError
uk_build_step_configure() {
  local args=(-r "$UK_BUILD_RECIPE" -s "$UK_BUILD_SYSTEM" -b "$UK_BUILD_DIR" -m "$UK_BUILD_MOUNT")
  [ -z "$UK_BUILD_CACHE" ] || args+=(-c "$UK_BUILD_CACHE")
  uk_build_run_in "$UK_BUILD_DIR/logs" python3 "$(uk_build_stackinator_dir)/bin/stack-config" "${args[@]}" --develop
}

# @step 5 build: Build the image
# @doc Runs the build [the way stackinator documents it](https://github.com/eth-cscs/stackinator/blob/1255be83c69480b96ef3e8cff6fc81a33eb2781d/docs/building.md#L7-L18): in the build directory, with an emptied environment so nothing from your shell leaks into Spack.
# @doc Only `PATH`, `HOME` and, when they are set, the proxy variables (`http_proxy`, `https_proxy`, `no_proxy` and their upper-case forms) pass, because `env --ignore-environment` would otherwise drop the proxies Spack needs to download sources.
# @doc It takes hours; run it on a compute node of the target architecture.
# @doc It runs make with `-k`, so one failing package does not stop the others, and, when it fails, once more with `-j8`, [as CSCS's build CI does](https://github.com/eth-cscs/uenv-pipeline/blob/58c4d12fbb26d235e918c75e541d09d165fa5cc9/stage-build#L205-L213): a build that failed only for lack of memory at high parallelism then finishes.
# @doc When it fails, the runbook names Spack's build logs of the failed packages and stackinator's `stack-debug.sh`, a shell in the build's sandbox; Ctrl-C is reported as an interruption, with the end of the log.
# @doc When it dies, run the same command again: finished steps are skipped and Spack reuses what it already installed.
# @command
#   cd <build>
#   env --ignore-environment PATH=/usr/bin:/bin:<build>/spack/bin HOME=$HOME make store.squashfs -k -j<jobs>
# @command On failure, once more with fewer jobs
#   env --ignore-environment PATH=/usr/bin:/bin:<build>/spack/bin HOME=$HOME make store.squashfs -k -j8
# @fails spack-concretize-network-externals: concretization fails on the cray-mpich or libfabric externals
# @fails libfuse2-aarch64-build: libfuse 2 does not compile on aarch64
# @fails libcxi-needs-libfuse2: libcxi's configure fails when it finds libfuse 3
# @fails faiss-pythonpipbuilder-import: faiss +python fails on the PythonPipBuilder import
# @fails xpmem-kernel-module-build: the xpmem kernel module does not compile
uk_build_step_build() {
  local env_args=(PATH="/usr/bin:/bin:$UK_BUILD_DIR/spack/bin" HOME="$HOME") var
  for var in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [ -z "${!var:-}" ] || env_args+=("$var=${!var}")
  done
  if uk_build_run_in "$UK_BUILD_DIR" env --ignore-environment "${env_args[@]}" make store.squashfs -k "-j$UK_BUILD_JOBS"; then
    return 0
  fi
  [ "$UK_BUILD_JOBS" -gt 8 ] || return 1
  uk_log "the build failed with -j$UK_BUILD_JOBS; once more with -j8, as CSCS's build CI does"
  uk_build_run_in "$UK_BUILD_DIR" env --ignore-environment "${env_args[@]}" make store.squashfs -k -j8
}

# @step 6 report: Report the image and copy it out
# @doc Prints the image's path, size and SHA-256 checksum, and the commands to mount it and to verify it with the verify runbook.
# @doc Mount it at the mount point it was built for: [its run paths are hard-coded to it](https://github.com/eth-cscs/stackinator/blob/1255be83c69480b96ef3e8cff6fc81a33eb2781d/docs/installing.md#L15-L22).
# @doc It copies the image and its `meta/` out of the build directory, to `<output>`: on Alps [`/dev/shm` is cleaned up after every job](https://github.com/eth-cscs/cscs-docs/blob/80abed138e7cc52ebf6703b82ed02520ab9bf92f/docs/clusters/daint.md#L169).
# @doc The layout is the one uenv reads, [`meta/` beside the squashfs file](https://github.com/eth-cscs/uenv/blob/v9.1.2/src/uenv/env.cpp#L66-L79), as CSCS's build CI [copies it](https://github.com/eth-cscs/uenv-pipeline/blob/58c4d12fbb26d235e918c75e541d09d165fa5cc9/stage-build#L244-L250); `meta/extra/reframe.yaml` is where CSCS's ReFrame checks find the environments.
# @doc A directory per image (its checksum's first 12 hex digits) means a rebuild never overwrites an earlier image; an image already copied is left as it is.
# @doc Beside it goes `uenv-kb-report.json`: the checksum, the commits of stackinator, alps-cluster-config and this repository, and every package's version, with the commit Spack resolved for each `@main` or `@master` package (from the environments' `spack.lock`). `runbooks/verify-stack.sh diff OLD.json NEW.json` compares two images' reports.
# @command
#   stat -c %s -- <build>/store.squashfs
#   sha256sum -- <build>/store.squashfs
#   python3 <repo>/runbooks/lib/py/buildinfo.py --build <build> --image <build>/store.squashfs --sha256 <sha256> --mount <mount> --recipe <recipe> --repo <repo> --stackinator <stackinator> --cluster-config <build>/sources/alps-cluster-config --json <build>/uenv-kb-report.json
#   mkdir -p -- <image-dir>
#   cp -- <build>/store.squashfs <image-dir>/.store.squashfs.partial
#   mv -- <image-dir>/.store.squashfs.partial <image-dir>/store.squashfs
#   cp -a -- <build>/store/meta <image-dir>/meta
uk_build_step_report() {
  local image="$UK_BUILD_DIR/store.squashfs" size sum out="" shown
  [ "$UK_BUILD_DRY_RUN" = 1 ] || [ -f "$image" ] || uk_die "no image at $image: the build step did not produce it"
  size="$(uk_build_run stat -c %s -- "$image")"
  sum="$(uk_build_run sha256sum -- "$image")"
  uk_log "image:  $image"
  if [ "$UK_BUILD_DRY_RUN" = 1 ]; then
    uk_log "size, sha256: measured by a real run"
    [ -z "${UK_BUILD_OUTPUT:-}" ] || out="$UK_BUILD_OUTPUT/<sha256:12>"
  else
    uk_log "size:   $size bytes ($(numfmt --to=iec-i --suffix=B "$size"))"
    uk_log "sha256: ${sum%% *}"
    [ -z "${UK_BUILD_OUTPUT:-}" ] || out="$UK_BUILD_OUTPUT/$(printf '%s' "${sum%% *}" | cut -c1-12)"
  fi
  if [ "$UK_BUILD_DRY_RUN" != 1 ]; then
    local cluster="$UK_BUILD_DIR/sources/alps-cluster-config"
    [ -z "$UK_BUILD_SYSTEM_GIVEN" ] || cluster=""
    uk_build_run python3 "$UK_BUILD_REPO/runbooks/lib/py/buildinfo.py" --build "$UK_BUILD_DIR" --image "$image" --sha256 "${sum%% *}" \
      --mount "$UK_BUILD_MOUNT" --recipe "$UK_BUILD_RECIPE" --repo "$UK_BUILD_REPO" --stackinator "$(uk_build_stackinator_dir)" \
      ${cluster:+--cluster-config "$cluster"} --json "$UK_BUILD_DIR/uenv-kb-report.json" >&2 ||
      uk_die "could not write the build report $UK_BUILD_DIR/uenv-kb-report.json"
    uk_log "report: $UK_BUILD_DIR/uenv-kb-report.json (compare two images: runbooks/verify-stack.sh diff OLD.json NEW.json)"
  fi
  if [ -n "$out" ]; then
    uk_build_copy_out "$image" "$out"
    shown="$out/store.squashfs"
  else
    uk_warn "no --output and \$SCRATCH is not set: the image stays in $UK_BUILD_DIR (wiped with /dev/shm when a job ends)"
    shown=$image
  fi
  # uenv 9 and newer: `uenv run`/`uenv start` (the mount point comes from the image's meta/env.json),
  # or squashfs-mount's --sqfs= form; the pre-9 `squashfs-mount IMAGE:MOUNT` fails on today's Alps.
  # https://github.com/eth-cscs/uenv/blob/v9.1.2/src/squashfs-mount/squashfs-mount.cpp#L34-L59
  uk_log "mount:  uenv run $shown -- bash     (or: uenv start $shown, interactively)"
  uk_log "    or: squashfs-mount --sqfs=$shown:$UK_BUILD_MOUNT -- bash"
  # The verify runbook mounts the image at /user-environment unless told where it was built for.
  if [ "$UK_BUILD_MOUNT" = /user-environment ]; then
    uk_log "verify: $UK_BUILD_REPO/runbooks/verify-stack.sh all --image $shown"
  else
    uk_log "verify: $UK_BUILD_REPO/runbooks/verify-stack.sh all --image $shown --store $UK_BUILD_MOUNT"
  fi
}

# uk_build_copy_out <image> <dir>: the image and the store's meta/ into <dir>, the image through a
# .partial name so a killed copy never looks complete. An image already there is kept; a different file
# at that name (never made by a copy with this checksum) is not overwritten.
uk_build_copy_out() {
  local image=$1 out=$2
  uk_log "output: $out/store.squashfs and $out/meta"
  if [ "$UK_BUILD_DRY_RUN" != 1 ] && [ -e "$out/store.squashfs" ]; then
    cmp -s -- "$image" "$out/store.squashfs" ||
      uk_die "$out/store.squashfs exists and differs from $image; it is not overwritten: move it away or choose another --output"
    uk_log "output: already copied"
  else
    uk_build_run mkdir -p -- "$out" || uk_die "--output: cannot create $out"
    uk_build_run cp -- "$image" "$out/.store.squashfs.partial" || uk_die "--output: cannot copy the image to $out (full?)"
    uk_build_run mv -- "$out/.store.squashfs.partial" "$out/store.squashfs"
  fi
  # The build report describes this image: written next to it, replaced only by the same image's.
  [ "$UK_BUILD_DRY_RUN" = 1 ] || cp -- "$UK_BUILD_DIR/uenv-kb-report.json" "$out/uenv-kb-report.json" || uk_die "--output: cannot write $out/uenv-kb-report.json"
  if [ "$UK_BUILD_DRY_RUN" != 1 ] && [ -e "$out/meta" ]; then
    diff -rq -- "$UK_BUILD_DIR/store/meta" "$out/meta" >/dev/null ||
      uk_die "$out/meta exists and differs from $UK_BUILD_DIR/store/meta; it is not overwritten"
  else
    uk_build_run cp -a -- "$UK_BUILD_DIR/store/meta" "$out/meta" || uk_die "--output: cannot copy $UK_BUILD_DIR/store/meta to $out"
  fi
}

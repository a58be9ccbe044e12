# shellcheck shell=bash
# A real one-node Slurm on loopback for runbook tests (munge + slurmctld + slurmd, all state in one
# directory). Start it in setup_file and stop it in teardown_file, so nothing outlives the file:
#   uk_slurm_start "$BATS_FILE_TMPDIR/slurm" 47311   # slurmctld on 47311, slurmd on 47312
#   SLURM_CONF is exported; srun/sbatch work.      uk_slurm_stop
# Needs root (SlurmUser=root), munge and slurm-wlm. Functions: uk_slurm_; globals: UK_SLURM_.

# uk_slurm_start <dir> <port>: writes a munge key and slurm.conf under <dir>, starts the daemons and
# waits until the node is idle. Uses <port> and <port>+1; pick a range no other test uses.
uk_slurm_start() {
  UK_SLURM_DIR=$1
  local port=$2 cpus _
  mkdir -p "$UK_SLURM_DIR"/{munge,state,spool,log}
  chmod 0755 "$UK_SLURM_DIR" "$UK_SLURM_DIR/munge" # munged rejects a 0700 socket directory
  dd if=/dev/urandom of="$UK_SLURM_DIR/munge/key" bs=1024 count=1 status=none
  chmod 0400 "$UK_SLURM_DIR/munge/key"
  munged --key-file="$UK_SLURM_DIR/munge/key" --socket="$UK_SLURM_DIR/munge/socket" \
    --pid-file="$UK_SLURM_DIR/munge/pid" --log-file="$UK_SLURM_DIR/log/munged.log" \
    --seed-file="$UK_SLURM_DIR/munge/seed" || return 1
  cpus=$(nproc)
  cat >"$UK_SLURM_DIR/slurm.conf" <<EOF
ClusterName=uenvkbtest
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$UK_SLURM_DIR/munge/socket
CredType=cred/munge
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$UK_SLURM_DIR/state
SlurmdSpoolDir=$UK_SLURM_DIR/spool
SlurmctldPidFile=$UK_SLURM_DIR/slurmctld.pid
SlurmdPidFile=$UK_SLURM_DIR/slurmd.pid
SlurmctldLogFile=$UK_SLURM_DIR/log/slurmctld.log
SlurmdLogFile=$UK_SLURM_DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$UK_SLURM_DIR/slurm.conf"
  slurmctld -f "$SLURM_CONF" || return 1
  slurmd -f "$SLURM_CONF" -N localhost || return 1

  for _ in $(seq 100); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qx idle; then return 0; fi
    sleep 0.1
  done
  echo "slurm did not become idle; logs in $UK_SLURM_DIR/log" >&2
  return 1
}

# uk_slurm_stop: stops slurmd, slurmctld and munged started by uk_slurm_start, by their pid files,
# and waits until they are gone.
uk_slurm_stop() {
  [ -n "${UK_SLURM_DIR:-}" ] || return 0
  local pidfile pid _
  for pidfile in "$UK_SLURM_DIR/slurmd.pid" "$UK_SLURM_DIR/slurmctld.pid" "$UK_SLURM_DIR/munge/pid"; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || continue 2
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
}

#!/usr/bin/env bash
# One command: rebuild the data, train the BlurPool CRNN and its max-pool twin, evaluate both,
# export earshot-sed-v1 (ONNX + manifest + golden), rebuild the demo set and RESULTS.md.
# About 1 h 15 min on 2 shared cores; needs the Debian packages listed in README.md.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
export OPENBLAS_NUM_THREADS=1
PY=/usr/bin/python3
EPOCHS=${EPOCHS:-12}
STEPS=${STEPS:-100}

$PY -m earshot_sed.fetch data/sources.tsv data/backgrounds.tsv
$PY -m earshot_sed.make_dataset --train 6000 --validation 600 --test 600
# The twins train side by side, one thread each (better use of 2 cores than 2 threads each).
$PY -m earshot_sed.train --name blurpool --epochs "$EPOCHS" --steps-per-epoch "$STEPS" --threads 1 \
    > work/train_blurpool.log 2>&1 &
blur=$!
$PY -m earshot_sed.train --name maxpool --maxpool --epochs "$EPOCHS" --steps-per-epoch "$STEPS" --threads 1 \
    > work/train_maxpool.log 2>&1 &
maxp=$!
wait "$blur"
wait "$maxp"
(cd .. && mvn -B -q -pl launcher -am package -DskipTests)
$PY -m earshot_sed.evaluate blurpool maxpool
$PY -m earshot_sed.export work/runs/blurpool --decoding work/eval/blurpool/decoding.json
$PY -m earshot_sed.onnx_check work/runs/blurpool | tee work/onnx_check.txt
$PY -m earshot_sed.demo
$PY -m earshot_sed.results
./run_fast_tests.sh

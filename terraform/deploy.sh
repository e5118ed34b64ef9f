#!/usr/bin/env bash
# Deploys bqx to a Google Cloud project in one pass, also on a project that has nothing yet:
#   1. builds the functions' zip and the job's image;
#   2. applies only what the image push needs (the Artifact Registry repository, and the APIs it
#      depends on: terraform adds a target's dependencies);
#   3. pushes the image;
#   4. applies everything: terraform uploads the zip itself (google_storage_bucket_object, after
#      its bucket), builds the functions, creates their push subscriptions with dead letters.
# Then publishing a pair works: there is no manual step. deployment/ DeployOrderTest checks this
# order against terraform's own references.
#
# Usage: terraform/deploy.sh   (with terraform/terraform.tfvars filled in; TAG defaults to the commit)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TF="$ROOT/terraform"
PROJECT="$(sed -n 's/^project_id *= *"\(.*\)"/\1/p' "$TF/terraform.tfvars")"
REGION="$(sed -n 's/^region *= *"\(.*\)"/\1/p' "$TF/terraform.tfvars")"
REGION="${REGION:-us-central1}"
TAG="${TAG:-$(git -C "$ROOT" rev-parse --short HEAD)}"
IMAGE="$REGION-docker.pkg.dev/$PROJECT/bqx/pipeline-job:$TAG"
ZIP="$ROOT/functions-$TAG.zip"
VARS=(-var="job_image=$IMAGE" -var="functions_source_zip=$ZIP")

# 1. Build.
(cd "$ROOT" && mvn -B -q -pl functions -am package -DskipTests)
rm -f "$ZIP"
(cd "$ROOT/functions/target" && zip -q "$ZIP" bqx-functions-deploy.jar)
docker build -t "$IMAGE" "$ROOT"

# 2. What the image push needs.
terraform -chdir="$TF" init -input=false
terraform -chdir="$TF" apply -input=false -auto-approve "${VARS[@]}" \
  -target=google_artifact_registry_repository.images

# 3. Push the image.
gcloud auth configure-docker "$REGION-docker.pkg.dev" --quiet
docker push "$IMAGE"

# 4. Everything else.
terraform -chdir="$TF" apply -input=false -auto-approve "${VARS[@]}"

terraform -chdir="$TF" output -raw publish_one_pair
echo

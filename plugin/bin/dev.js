#!/usr/bin/env -S node --import tsx --no-warnings
// Runs the commands from src/ without a build (tsx compiles on the fly).
import { execute } from '@oclif/core';

await execute({ development: true, dir: import.meta.url });

-- AlterEnum
ALTER TYPE "Platform" ADD VALUE 'MATRIX';
